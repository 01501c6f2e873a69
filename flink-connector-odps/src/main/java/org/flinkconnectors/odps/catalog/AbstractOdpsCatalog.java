package org.flinkconnectors.odps.catalog;

import org.flinkconnectors.base.catalog.AbstractLimitedCatalog;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.catalog.CatalogBaseTable;
import org.apache.flink.table.catalog.CatalogPartitionSpec;
import org.apache.flink.table.catalog.ObjectPath;
import org.apache.flink.table.expressions.Expression;

import java.util.List;

/**
 * The parts of Flink's catalog API the {@code odps} catalog does not offer, kept apart from what it
 * does: altering and renaming databases, tables and partitions, writing statistics, functions and
 * filter-based partition listing (the planner then lists partitions and filters them itself).
 * Unsupported changes throw {@link UnsupportedOperationException}; lookups answer as for a catalog
 * without functions and without column statistics (MaxCompute keeps row counts and sizes, which the
 * subclass reports). The parts shared with the suite's other catalogs come from {@link
 * AbstractLimitedCatalog}; MaxCompute UDFs are Java or Python resources Flink cannot run.
 */
@Internal
abstract class AbstractOdpsCatalog extends AbstractLimitedCatalog {

    AbstractOdpsCatalog(String name, String defaultDatabase) {
        super(name, defaultDatabase);
    }

    @Override
    protected final UnsupportedOperationException unsupported(String what) {
        return new UnsupportedOperationException(
                "The odps catalog '" + getName() + "' does not support " + what + ".");
    }

    @Override
    public void alterTable(
            ObjectPath tablePath, CatalogBaseTable newTable, boolean ignoreIfNotExists) {
        throw unsupported("ALTER TABLE (other than ADD/DROP PARTITION)");
    }

    @Override
    public List<CatalogPartitionSpec> listPartitionsByFilter(
            ObjectPath tablePath, List<Expression> filters) {
        throw unsupported("listing partitions by filter");
    }
}
