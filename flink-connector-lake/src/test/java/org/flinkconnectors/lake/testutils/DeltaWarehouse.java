package org.flinkconnectors.lake.testutils;

import org.apache.flink.connector.testframe.TestResource;
import org.apache.flink.util.FileUtils;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A directory of Delta tables as an external system for Flink's connector testing framework:
 * created when the suite starts, deleted when it ends.
 */
public final class DeltaWarehouse implements TestResource {

    private Path directory;
    private DeltaTestTables tables;

    @Override
    public void startUp() throws Exception {
        directory = Files.createTempDirectory("lake-delta-");
        tables = new DeltaTestTables(directory);
    }

    @Override
    public void tearDown() throws Exception {
        if (directory != null) {
            FileUtils.deleteDirectory(directory.toFile());
        }
    }

    public DeltaTestTables tables() {
        return tables;
    }
}
