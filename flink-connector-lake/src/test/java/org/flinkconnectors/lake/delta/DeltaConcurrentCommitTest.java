package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.testutils.DeltaTestTables;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.TableManager;
import io.delta.kernel.Transaction;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.utils.CloseableIterable;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CyclicBarrier;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * Two writers in one JVM, each with an engine built as the connector builds it, commit the same
 * version of a local table at the same moment, many times over. Exactly one of them may win each
 * version; the other must see the version taken and commit the next one. Kernel's default log store
 * for {@code file:} checks that the commit file is absent and then renames over it, so both could
 * "win" the same version: one commit is silently replaced, and Hadoop's {@code .crc} sidecar,
 * renamed separately, may no longer match the file.
 */
class DeltaConcurrentCommitTest {

    private static final int ROUNDS = 50;

    @TempDir Path root;

    @Test
    void twoWritersRacingForTheSameVersionBothCommit() throws Exception {
        DeltaTestTables tables = new DeltaTestTables(root);
        String path = tables.create("orders", Map.of());
        Engine a = DeltaEngines.create();
        Engine b = DeltaEngines.create();
        List<String> duplicates = new ArrayList<>();
        ExecutorService pool = Executors.newFixedThreadPool(2);
        try {
            for (int round = 0; round < ROUNDS; round++) {
                CyclicBarrier barrier = new CyclicBarrier(2);
                int checkpoint = round;
                Future<Long> ofA =
                        pool.submit(() -> commit(a, path, "writer-a", checkpoint, barrier));
                Future<Long> ofB =
                        pool.submit(() -> commit(b, path, "writer-b", checkpoint, barrier));
                long versionOfA = ofA.get(60, TimeUnit.SECONDS);
                long versionOfB = ofB.get(60, TimeUnit.SECONDS);
                if (versionOfA == versionOfB) {
                    duplicates.add("round " + round + ": both committed version " + versionOfA);
                }
            }
        } finally {
            pool.shutdownNow();
        }

        assertThat(duplicates).as("versions two writers both believe they committed").isEmpty();
        // A fresh engine replays every commit file through Hadoop's checksummed file system.
        Engine reader = DeltaEngines.create();
        Snapshot latest = TableManager.loadSnapshot(path).build(reader);
        assertThat(latest.getVersion()).isEqualTo(2L * ROUNDS);
        assertThat(latest.getLatestTransactionVersion(reader, "writer-a")).contains(ROUNDS - 1L);
        assertThat(latest.getLatestTransactionVersion(reader, "writer-b")).contains(ROUNDS - 1L);
        for (long version = 1; version <= 2L * ROUNDS; version++) {
            assertThat(Files.readString(tables.commitFile("orders", version)))
                    .as("version %d holds one writer's txn", version)
                    .containsOnlyOnce("\"txn\"");
        }
        try (Stream<Path> log = Files.list(root.resolve("orders").resolve("_delta_log"))) {
            assertThat(log.map(file -> file.getFileName().toString()))
                    .as("Hadoop checksum sidecars of commit files")
                    .noneMatch(name -> name.endsWith(".json.crc"));
        }
    }

    /** Commits a version with only the writer's txn action once both writers are ready. */
    private static long commit(
            Engine engine, String path, String appId, long checkpoint, CyclicBarrier barrier)
            throws Exception {
        Transaction txn =
                TableManager.loadSnapshot(path)
                        .build(engine)
                        .buildUpdateTableTransaction("concurrent-commit-test", Operation.WRITE)
                        .withTransactionId(appId, checkpoint)
                        .build(engine);
        barrier.await(60, TimeUnit.SECONDS);
        return txn.commit(engine, CloseableIterable.emptyIterable()).getVersion();
    }
}
