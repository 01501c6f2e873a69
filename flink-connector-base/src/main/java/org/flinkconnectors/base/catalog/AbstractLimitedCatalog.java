package org.flinkconnectors.base.catalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.AbstractCatalog;
import org.apache.flink.table.catalog.CatalogDatabase;
import org.apache.flink.table.catalog.CatalogFunction;
import org.apache.flink.table.catalog.CatalogPartition;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.catalog.exceptions.DatabaseNotExistException;
import org.apache.flink.table.catalog.exceptions.FunctionNotExistException;
import org.apache.flink.table.catalog.stats.CatalogColumnStatistics;
import org.apache.flink.table.catalog.stats.CatalogTableStatistics;

import java.util.List;

/**
 * The parts of Flink's catalog API that the suite's catalogs over external stores leave out:
 * functions (none are shown), column statistics (unknown), writing statistics, and altering
 * databases and partitions or renaming tables. Lookups answer as for a catalog without them;
 * changes throw what {@link #unsupported(String)} builds, so each catalog keeps its own exception
 * type and wording.
 */
@Internal
public abstract class AbstractLimitedCatalog extends AbstractCatalog {

    protected AbstractLimitedCatalog(String name, String defaultDatabase) {
        super(name, defaultDatabase);
    }

    /** The exception for a change this catalog does not offer; {@code what} names the change. */
    protected abstract RuntimeException unsupported(String what);

    /** How writing statistics is named in the {@link #unsupported(String)} message. */
    protected String statisticsWrites() {
        return "writing statistics";
    }

    @Override
    public void alterDatabase(String name, CatalogDatabase newDatabase, boolean ignoreIfNotExists) {
        throw unsupported("ALTER DATABASE");
    }

    @Override
    public void renameTable(ObjectPath tablePath, String newTableName, boolean ignoreIfNotExists) {
        throw unsupported("renaming tables");
    }

    @Override
    public void alterPartition(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogPartition newPartition,
            boolean ignoreIfNotExists) {
        throw unsupported("altering partitions");
    }

    // ------------------------------------------------------------------------------------------
    // Functions: the external stores' functions are not something Flink can run.
    // ------------------------------------------------------------------------------------------

    @Override
    public List<String> listFunctions(String dbName) throws DatabaseNotExistException {
        if (!databaseExists(dbName)) {
            throw new DatabaseNotExistException(getName(), dbName);
        }
        return List.of();
    }

    @Override
    public CatalogFunction getFunction(ObjectPath functionPath) throws FunctionNotExistException {
        throw new FunctionNotExistException(getName(), functionPath);
    }

    @Override
    public boolean functionExists(ObjectPath functionPath) {
        return false;
    }

    @Override
    public void createFunction(
            ObjectPath functionPath, CatalogFunction function, boolean ignoreIfExists) {
        throw unsupported("functions");
    }

    @Override
    public void alterFunction(
            ObjectPath functionPath, CatalogFunction newFunction, boolean ignoreIfNotExists) {
        throw unsupported("functions");
    }

    @Override
    public void dropFunction(ObjectPath functionPath, boolean ignoreIfNotExists)
            throws FunctionNotExistException {
        if (!ignoreIfNotExists) {
            throw new FunctionNotExistException(getName(), functionPath);
        }
    }

    // ------------------------------------------------------------------------------------------
    // Statistics: no column statistics are kept, and Flink cannot write any.
    // ------------------------------------------------------------------------------------------

    @Override
    public CatalogColumnStatistics getTableColumnStatistics(ObjectPath tablePath) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public CatalogColumnStatistics getPartitionColumnStatistics(
            ObjectPath tablePath, CatalogPartitionSpec partitionSpec) {
        return CatalogColumnStatistics.UNKNOWN;
    }

    @Override
    public void alterTableStatistics(
            ObjectPath tablePath, CatalogTableStatistics tableStatistics, boolean ignore) {
        throw unsupported(statisticsWrites());
    }

    @Override
    public void alterTableColumnStatistics(
            ObjectPath tablePath, CatalogColumnStatistics columnStatistics, boolean ignore) {
        throw unsupported(statisticsWrites());
    }

    @Override
    public void alterPartitionStatistics(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogTableStatistics partitionStatistics,
            boolean ignore) {
        throw unsupported(statisticsWrites());
    }

    @Override
    public void alterPartitionColumnStatistics(
            ObjectPath tablePath,
            CatalogPartitionSpec partitionSpec,
            CatalogColumnStatistics columnStatistics,
            boolean ignore) {
        throw unsupported(statisticsWrites());
    }
}
