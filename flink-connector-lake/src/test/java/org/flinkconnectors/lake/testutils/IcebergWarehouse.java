package org.flinkconnectors.lake.testutils;

import org.apache.flink.connector.testframe.TestResource;
import org.apache.flink.util.FileUtils;

import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A warehouse directory as an external system for Flink's connector testing framework: created when
 * the suite starts, deleted when it ends.
 */
public final class IcebergWarehouse implements TestResource {

    private Path directory;
    private IcebergTestTables tables;

    @Override
    public void startUp() throws Exception {
        directory = Files.createTempDirectory("lake-warehouse-");
        tables = new IcebergTestTables(directory);
    }

    @Override
    public void tearDown() throws Exception {
        if (directory != null) {
            FileUtils.deleteDirectory(directory.toFile());
        }
    }

    public IcebergTestTables tables() {
        return tables;
    }
}
