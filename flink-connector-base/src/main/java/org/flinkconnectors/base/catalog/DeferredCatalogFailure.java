package org.flinkconnectors.base.catalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;

import java.util.List;

/**
 * Stands in for a catalog whose options are invalid: Flink opens a catalog right after creating it,
 * and {@link #open()} raises the error. Every other method raises it as well, although Flink never
 * registers a catalog whose {@code open()} failed.
 */
@Internal
final class DeferredCatalogFailure extends AbstractLimitedCatalog {

    private final RuntimeException error;

    DeferredCatalogFailure(String name, RuntimeException error) {
        super(name, "default");
        this.error = error;
    }

    RuntimeException error() {
        return error;
    }

    @Override
    protected RuntimeException unsupported(String what) {
        return error;
    }

    @Override
    public void open() {
        throw error;
    }

    @Override
    public void close() {}

    @Override
    public List<String> listDatabases() {
        throw error;
    }

    @Override
    public CatalogDatabase getDatabase(String databaseName) {
        throw error;
    }

    @Override
    public boolean databaseExists(String databaseName) {
        throw error;
    }

    @Override
    public void createDatabase(String name, CatalogDatabase database, boolean ignoreIfExists) {
        throw error;
    }

    @Override
    public void dropDatabase(String name, boolean ignoreIfNotExists, boolean cascade) {
        throw error;
    }

    @Override
    public List<String> listTables(String databaseName) {
        throw error;
    }

    @Override
    public List<String> listViews(String databaseName) {
        throw error;
    }

    @Override
    public CatalogBaseTable getTable(ObjectPath tablePath) {
        throw error;
    }

    @Override
    public boolean tableExists(ObjectPath tablePath) {
        throw error;
    }

    @Override
    public void dropTable(ObjectPath tablePath, boolean ignoreIfNotExists) {
        throw error;
    }

    @Override
    public void createTable(ObjectPath tablePath, CatalogBaseTable table, boolean ignoreIfExists) {
        throw error;
    }

    @Override
    public void alterTable(
            ObjectPath tablePath, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw error;
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(ObjectPath tablePath) {
        throw error;
    }

    @Override
    public List<CatalogPartitionSpec> listPartitions(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        throw error;
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(
            ObjectPath tablePath, List<Expression> filters) {
        throw error;
    }

    @Override
    public CatalogPartition getPartition(ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        throw error;
    }

    @Override
    public boolean partitionExists(ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        throw error;
    }

    @Override
    public void createPartition(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition partition,
            boolean ignoreIfExists) {
        throw error;
    }

    @Override
    public void dropPartition(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec, boolean ignoreIfNotExists) {
        throw error;
    }

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath tablePath) {
        throw error;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        throw error;
    }
}
