package org.flinkconnectors.lake.catalog;

import org.flinkconnectors.base.catalog.AbstractLimitedCatalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.CatalogException;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.PartitionNotExistException;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;
import org.apache.flink.table.expressions.Expression;

import java.util.List;

/**
 * What a lake warehouse does not hold: views, functions, statistics, partitions as objects of their
 * own (a lake table's partitions follow from its files), and in-place changes of databases and
 * tables. Reads answer "none"; changes fail naming what is not supported. The parts shared with the
 * suite's other catalogs come from {@link AbstractLimitedCatalog}.
 */
@Internal
abstract class AbstractLakeCatalog extends AbstractLimitedCatalog {

    AbstractLakeCatalog(String name, String defaultDatabase) {
        super(name, defaultDatabase);
    }

    @Override
    protected final CatalogException unsupported(String what) {
        return new CatalogException("The lake catalog does not support " + what + " yet.");
    }

    @Override
    protected final String statisticsWrites() {
        return "statistics";
    }

    @Override
    public List<String> listViews(String databaseName) throws DatabaseNotExistException {
        if (!databaseExists(databaseName)) {
            throw new DatabaseNotExistException(getName(), databaseName);
        }
        return List.of();
    }

    @Override
    public void alterTable(
            ObjectPath tablePath, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw unsupported("ALTER TABLE");
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(
            ObjectPath tablePath, List<Expression> filters) {
        // The planner then lists all partitions and prunes them itself.
        throw new UnsupportedOperationException("listPartitionsByFilter");
    }

    @Override
    public CatalogPartition getPartition(ObjectPath tablePath, CatalogPartitionSpec partitionSpec)
            throws PartitionNotExistException {
        throw new PartitionNotExistException(getName(), tablePath, partitionSpec);
    }

    @Override
    public boolean partitionExists(ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return false;
    }

    @Override
    public void createPartition(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition partition,
            boolean ignoreIfExists) {
        throw unsupported("creating partitions (they appear when rows are written)");
    }

    @Override
    public void dropPartition(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec, boolean ignoreIfNotExists) {
        throw unsupported("dropping partitions");
    }

    @Override
    public CatalogTableStatistics getTableStatistics(ObjectPath tablePath) {
        return CatalogTableStatistics.UNKNOWN;
    }

    @Override
    public CatalogTableStatistics getPartitionStatistics(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return CatalogTableStatistics.UNKNOWN;
    }
}
