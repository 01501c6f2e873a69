package org.flinkconnectors.e2e.bench;

import java.lang.management.ManagementFactory;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line of a child JVM with this JVM's class path and module flags: how {@link
 * BenchmarkSuite} gives every benchmark a fresh JVM and {@link OdpsServerProcess} the ODPS test
 * server a JVM (and a heap and JIT) of its own.
 */
final class ChildJvm {

    private ChildJvm() {}

    static List<String> command(
            String heap, List<String> systemProperties, String mainClass, List<String> args) {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.add("-Xmx" + heap);
        // The --add-opens/--add-exports Flink needs on this JDK, as this JVM got them.
        for (String argument : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
            if (argument.startsWith("--add-")) {
                command.add(argument);
            }
        }
        systemProperties.forEach(p -> command.add("-D" + p));
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(mainClass);
        command.addAll(args);
        return command;
    }
}
