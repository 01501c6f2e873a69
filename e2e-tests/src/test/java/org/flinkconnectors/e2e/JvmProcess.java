package org.flinkconnectors.e2e;

import java.io.IOException;
import java.io.PrintStream;
import java.io.RandomAccessFile;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;

/**
 * A Java program started as a separate JVM process, the way Flink's shell scripts start the
 * JobManager, the TaskManager and the SQL gateway: same JDK as the test, explicit classpath, stdout
 * and stderr in {@code <name>.out} and, for Flink processes, a log4j log file.
 */
final class JvmProcess {

    /** How much of the end of each log file {@link #dumpLogs} prints. */
    private static final int DUMP_TAIL_BYTES = 64 * 1024;

    private final String name;
    private final Process process;
    private final Path outFile;
    private final List<Path> logFiles;
    private final Thread killOnExit;

    private JvmProcess(String name, Process process, Path outFile, List<Path> logFiles) {
        this.name = name;
        this.process = process;
        this.outFile = outFile;
        this.logFiles = logFiles;
        // Child processes outlive their parent: if the test JVM is stopped before it cleans up
        // (a build timeout, Ctrl-C), take them down with it.
        this.killOnExit = new Thread(process::destroyForcibly, "kill " + name);
        Runtime.getRuntime().addShutdownHook(killOnExit);
    }

    /**
     * Starts {@code mainClass}; {@code logFile}, if not null, is passed as {@code -Dlog.file}, the
     * system property Flink's log4j configuration writes to.
     */
    static JvmProcess start(
            String name,
            Path logDir,
            List<String> jvmArgs,
            String classpath,
            String mainClass,
            List<String> programArgs,
            Map<String, String> environment,
            Path logFile)
            throws IOException {
        List<String> command = new ArrayList<>();
        command.add(javaExecutable());
        command.addAll(jvmArgs);
        if (logFile != null) {
            command.add("-Dlog.file=" + logFile);
        }
        command.add("-cp");
        command.add(classpath);
        command.add(mainClass);
        command.addAll(programArgs);

        Path outFile = logDir.resolve(name + ".out");
        ProcessBuilder builder =
                new ProcessBuilder(command)
                        .directory(logDir.toFile())
                        .redirectErrorStream(true)
                        .redirectOutput(outFile.toFile());
        builder.environment().putAll(environment);
        List<Path> logs = new ArrayList<>();
        logs.add(outFile);
        if (logFile != null) {
            logs.add(logFile);
        }
        return new JvmProcess(name, builder.start(), outFile, logs);
    }

    /** Waits for the process to exit with code 0 and returns its output. */
    String awaitOutput(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            destroy();
            throw new IllegalStateException(name + " did not finish within " + timeout);
        }
        removeKillOnExit();
        String output = Files.readString(outFile, StandardCharsets.UTF_8);
        if (process.exitValue() != 0) {
            throw new IllegalStateException(
                    name + " exited with code " + process.exitValue() + ":\n" + output);
        }
        return output;
    }

    long pid() {
        return process.pid();
    }

    /** Throws if the process has exited: a daemon that is gone will not become ready. */
    void checkAlive() {
        if (!process.isAlive()) {
            throw new IllegalStateException(
                    name + " exited with code " + process.exitValue() + "; see " + outFile);
        }
    }

    /** Kills the process (SIGKILL) and waits for it to be gone. */
    void destroy() {
        process.destroyForcibly();
        removeKillOnExit();
        try {
            process.waitFor(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private void removeKillOnExit() {
        try {
            Runtime.getRuntime().removeShutdownHook(killOnExit);
        } catch (IllegalStateException shuttingDown) {
            // The JVM is exiting and runs the hook anyway.
        }
    }

    /** The lines of the process's output and log files that contain the text. */
    List<String> logLines(String text) throws IOException {
        List<String> lines = new ArrayList<>();
        for (Path file : logFiles) {
            if (Files.exists(file)) {
                try (var fileLines = Files.lines(file, StandardCharsets.UTF_8)) {
                    fileLines.filter(line -> line.contains(text)).forEach(lines::add);
                }
            }
        }
        return lines;
    }

    /** Prints the tail of the process's output and log files. */
    void dumpLogs(PrintStream out) {
        for (Path file : logFiles) {
            out.println("======== " + name + ": " + file + " ========");
            if (!Files.exists(file)) {
                out.println("(missing)");
                continue;
            }
            try (RandomAccessFile raf = new RandomAccessFile(file.toFile(), "r")) {
                long start = Math.max(0, raf.length() - DUMP_TAIL_BYTES);
                byte[] tail = new byte[(int) (raf.length() - start)];
                raf.seek(start);
                raf.readFully(tail);
                if (start > 0) {
                    out.println("(... first " + start + " bytes left out)");
                }
                out.println(new String(tail, StandardCharsets.UTF_8));
            } catch (IOException e) {
                out.println("(cannot read: " + e + ")");
            }
        }
    }

    private static String javaExecutable() {
        return Path.of(System.getProperty("java.home"), "bin", "java").toString();
    }
}
