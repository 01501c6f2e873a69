package org.flinkconnectors.lake.delta;

import io.delta.kernel.defaults.internal.logstore.LogStoreProvider;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.data.GenericRow;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.IntegerType;
import io.delta.kernel.types.StringType;
import io.delta.kernel.types.StructType;
import io.delta.storage.HDFSLogStore;
import org.apache.hadoop.conf.Configuration;
import org.apache.hadoop.fs.FSDataOutputStream;
import org.apache.hadoop.fs.FileSystem;
import org.apache.hadoop.fs.LocalFileSystem;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

/**
 * {@link DeltaLocalLogStore} on the local file system: put-if-absent keeps the first file, racing
 * writers (threads through Kernel's JSON handler, or two JVMs) get exactly one winner per file, no
 * Hadoop checksum sidecar is written and a stale one is removed, and the connector's engines pick
 * the store through the key Kernel reads.
 */
class DeltaLocalLogStoreTest {

    private static final int THREAD_ROUNDS = 500;
    private static final int JVM_FILES = 300;

    private static final StructType ACTION =
            new StructType().add("writer", StringType.STRING).add("round", IntegerType.INTEGER);

    @TempDir Path root;

    private final Configuration conf = new Configuration();

    @Test
    void putIfAbsentKeepsTheFirstFileWithoutChecksumSidecar() throws Exception {
        Path log = Files.createDirectories(root.resolve("_delta_log"));
        Path file = log.resolve(version(1));
        DeltaLocalLogStore store = new DeltaLocalLogStore(conf);

        store.write(hadoopPath(file), List.of("{\"a\":1}", "{\"b\":2}").iterator(), false, conf);

        assertThatThrownBy(
                        () ->
                                store.write(
                                        hadoopPath(file),
                                        List.of("{\"c\":3}").iterator(),
                                        false,
                                        conf))
                .isInstanceOf(FileAlreadyExistsException.class);
        assertThat(Files.readString(file)).isEqualTo("{\"a\":1}\n{\"b\":2}\n");
        assertThat(names(log)).containsExactly(version(1));
    }

    @Test
    void overwriteReplacesTheFileAndRemovesAStaleSidecar() throws Exception {
        Path log = Files.createDirectories(root.resolve("_delta_log"));
        Path file = log.resolve("_last_checkpoint");
        LocalFileSystem checksummed = FileSystem.getLocal(conf);
        try (FSDataOutputStream out = checksummed.create(hadoopPath(file))) {
            out.write("{\"version\":10}\n".getBytes(StandardCharsets.UTF_8));
        }
        assertThat(names(log)).contains("._last_checkpoint.crc");

        new DeltaLocalLogStore(conf)
                .write(hadoopPath(file), List.of("{\"version\":20}").iterator(), true, conf);

        assertThat(names(log)).containsExactly("_last_checkpoint");
        assertThat(readChecked(file)).isEqualTo("{\"version\":20}\n");
    }

    @Test
    void theConnectorsEnginesPickItUnlessTheConfigurationNamesAStore() {
        Configuration connectors = DeltaEngines.withLocalLogStore(new Configuration());
        assertThat(LogStoreProvider.getLogStore(connectors, "file"))
                .isInstanceOf(DeltaLocalLogStore.class);

        Configuration explicit = new Configuration();
        explicit.set(DeltaLocalLogStore.CONF_KEY, HDFSLogStore.class.getName());
        assertThat(LogStoreProvider.getLogStore(DeltaEngines.withLocalLogStore(explicit), "file"))
                .isInstanceOf(HDFSLogStore.class);
    }

    /**
     * Two engines as the connector builds them write each commit file at the same moment through
     * Kernel's JSON handler, the call a commit makes: one must win, the other must be told the file
     * exists, and the file must hold the winner's action and read back through Hadoop's checksummed
     * file system. Kernel's default store lets both "win" now and then, or leaves a sidecar that
     * does not match.
     */
    @Test
    void racingThreadsGetExactlyOneWinnerPerFile() throws Exception {
        Path log = Files.createDirectories(root.resolve("_delta_log"));
        Engine a = DeltaEngines.create();
        Engine b = DeltaEngines.create();
        List<String> violations = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < THREAD_ROUNDS; round++) {
                Path file = log.resolve(version(round));
                CyclicBarrier barrier = new CyclicBarrier(2);
                int r = round;
                Future<Boolean> wonA = pool.submit(() -> writeOnce(a, file, "a", r, barrier));
                Future<Boolean> wonB = pool.submit(() -> writeOnce(b, file, "b", r, barrier));
                boolean aWon = wonA.get(60, TimeUnit.SECONDS);
                boolean bWon = wonB.get(60, TimeUnit.SECONDS);
                if (aWon == bWon) {
                    violations.add("round " + r + ": " + (aWon ? "both won" : "neither won"));
                    continue;
                }
                String winner = aWon ? "a" : "b";
                try {
                    String content = readChecked(file);
                    if (!content.equals(action(winner, r))) {
                        violations.add("round " + r + ": " + winner + " won, file: " + content);
                    }
                } catch (IOException e) {
                    violations.add("round " + r + ": " + winner + " won, file unreadable: " + e);
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertThat(violations).isEmpty();
    }

    /**
     * This JVM and a second one write the same commit files in the same order; each file must have
     * exactly one writer that was told it won, and hold that writer's line.
     */
    @Test
    void racingJvmsGetExactlyOneWinnerPerFile() throws Exception {
        Path log = Files.createDirectories(root.resolve("_delta_log"));
        Path go = root.resolve("go");
        Process other =
                new ProcessBuilder(
                                Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                                "-cp",
                                System.getProperty("java.class.path"),
                                DeltaLocalLogStoreRacer.class.getName(),
                                log.toString(),
                                go.toString(),
                                "other",
                                String.valueOf(JVM_FILES))
                        .redirectError(ProcessBuilder.Redirect.INHERIT)
                        .start();
        try (BufferedReader out =
                new BufferedReader(
                        new InputStreamReader(other.getInputStream(), StandardCharsets.UTF_8))) {
            assertThat(out.readLine()).isEqualTo(DeltaLocalLogStoreRacer.READY);
            Files.createFile(go);
            Set<Integer> ours = DeltaLocalLogStoreRacer.race(log, "ours", JVM_FILES);
            Set<Integer> theirs = new HashSet<>();
            for (String line = out.readLine(); line != null; line = out.readLine()) {
                theirs.add(Integer.parseInt(line));
            }
            assertThat(other.waitFor(60, TimeUnit.SECONDS)).isTrue();
            assertThat(other.exitValue()).isZero();

            Set<Integer> both = new HashSet<>(ours);
            both.retainAll(theirs);
            assertThat(both).as("files both JVMs were told they won").isEmpty();
            assertThat(ours.size() + theirs.size()).isEqualTo(JVM_FILES);
            for (int i = 0; i < JVM_FILES; i++) {
                String writer = ours.contains(i) ? "ours" : "other";
                assertThat(Files.readString(log.resolve(version(i))))
                        .isEqualTo(DeltaLocalLogStoreRacer.line(writer, i) + "\n");
            }
            assertThat(names(log)).hasSize(JVM_FILES);
        } finally {
            other.destroyForcibly();
        }
    }

    private static boolean writeOnce(
            Engine engine, Path file, String writer, int round, CyclicBarrier barrier)
            throws Exception {
        GenericRow row = new GenericRow(ACTION, Map.of(0, writer, 1, round));
        barrier.await(60, TimeUnit.SECONDS);
        try {
            engine.getJsonHandler()
                    .writeJsonFileAtomically(
                            file.toUri().toString(), Utils.singletonCloseableIterator(row), false);
            return true;
        } catch (FileAlreadyExistsException e) {
            return false;
        }
    }

    private static String action(String writer, int round) {
        return "{\"writer\":\"" + writer + "\",\"round\":" + round + "}\n";
    }

    /** Reads through Hadoop's checksummed local file system, which checks a sidecar if present. */
    private String readChecked(Path file) throws IOException {
        LocalFileSystem checksummed = FileSystem.getLocal(conf);
        try (var in = checksummed.open(hadoopPath(file))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    private static org.apache.hadoop.fs.Path hadoopPath(Path file) {
        return new org.apache.hadoop.fs.Path(file.toUri());
    }

    private static String version(long version) {
        return String.format("%020d.json", version);
    }

    private static List<String> names(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.map(p -> p.getFileName().toString()).sorted().toList();
        }
    }
}
