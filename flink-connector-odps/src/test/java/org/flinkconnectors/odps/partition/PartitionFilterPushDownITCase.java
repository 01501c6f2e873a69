package org.flinkconnectors.odps.partition;

import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.configuration.ConfigOption;
import org.apache.flink.connector.datagen.source.DataGeneratorSource;
import org.apache.flink.table.api.EnvironmentSettings;
import org.apache.flink.table.api.TableEnvironment;
import org.apache.flink.table.catalog.Column;
import org.apache.flink.table.catalog.GenericInMemoryCatalog;
import org.apache.flink.table.catalog.ResolvedCatalogTable;
import org.apache.flink.table.connector.ChangelogMode;
import org.apache.flink.table.connector.source.DynamicTableSource;
import org.apache.flink.table.connector.source.ScanTableSource;
import org.apache.flink.table.connector.source.SourceProvider;
import org.apache.flink.table.connector.source.abilities.SupportsFilterPushDown;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.expressions.ResolvedExpression;
import org.apache.flink.table.factories.DynamicTableSourceFactory;
import org.apache.flink.table.factories.Factory;
import org.apache.flink.table.types.logical.LogicalType;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.stream.Collectors;

import static org.assertj.core.api.Assertions.assertThat;

/**
 * The filters Flink's planner really pushes down for SQL on a partitioned table, translated by
 * {@link PartitionFilterTranslator}: which are accepted, and which partitions they select. This
 * pins down the casts and rewrites (BETWEEN, IN, NOT) the planner applies before the connector sees
 * a filter.
 */
class PartitionFilterPushDownITCase {

    private static final List<Map<String, String>> PARTITIONS = new ArrayList<>();

    /** What the last planned source made of its filters; the planner calls it on one thread. */
    private static PartitionFilterTranslator.Result lastResult;

    private TableEnvironment tableEnv;

    @BeforeAll
    static void partitions() {
        for (String ds : List.of("20251231", "20260101", "20260102")) {
            for (int hh = 0; hh < 24; hh += 6) {
                Map<String, String> partition = new LinkedHashMap<>();
                partition.put("ds", ds);
                partition.put("hh", Integer.toString(hh));
                partition.put("tiny", Integer.toString(hh / 6));
                PARTITIONS.add(partition);
            }
        }
    }

    @BeforeEach
    void createTable() {
        tableEnv = TableEnvironment.create(EnvironmentSettings.inBatchMode());
        tableEnv.registerCatalog("odps", new PushDownCatalog());
        tableEnv.useCatalog("odps");
        tableEnv.executeSql(
                "CREATE TABLE t (name STRING, ds STRING, hh INT, tiny TINYINT)"
                        + " PARTITIONED BY (ds, hh, tiny) WITH ('connector' = 'push-down-test')");
        lastResult = null;
    }

    @AfterEach
    void reset() {
        lastResult = null;
    }

    private PartitionFilterTranslator.Result plan(String where) {
        tableEnv.explainSql("SELECT name FROM t WHERE " + where);
        assertThat(lastResult).as("applyFilters was called for: " + where).isNotNull();
        return lastResult;
    }

    /** The partitions "ds/hh/tiny" the accepted filters select; fails if any filter remained. */
    private List<String> pruned(String where) {
        PartitionFilterTranslator.Result result = plan(where);
        assertThat(result.remaining()).as(where).isEmpty();
        PartitionPredicate predicate = result.predicate().orElseThrow();
        return PARTITIONS.stream()
                .filter(predicate::test)
                .map(p -> p.get("ds") + "/" + p.get("hh"))
                .collect(Collectors.toList());
    }

    @Test
    void stringEqualityAndRanges() {
        assertThat(pruned("ds = '20260101' AND hh = 6")).containsExactly("20260101/6");
        assertThat(pruned("ds > '20260101'"))
                .containsExactly("20260102/0", "20260102/6", "20260102/12", "20260102/18");
        assertThat(pruned("ds BETWEEN '20260101' AND '20260102' AND hh >= 18"))
                .containsExactly("20260101/18", "20260102/18");
        assertThat(pruned("'20260102' <= ds AND hh < 6")).containsExactly("20260102/0");
    }

    @Test
    void inListsAndNegation() {
        assertThat(pruned("ds IN ('20251231', '20260102') AND hh = 0"))
                .containsExactly("20251231/0", "20260102/0");
        assertThat(pruned("NOT (ds = '20260101') AND NOT hh IN (0, 6, 12)"))
                .containsExactly("20251231/18", "20260102/18");
        assertThat(pruned("ds <> '20260101' AND hh <> 0 AND hh <> 6 AND hh <> 12"))
                .containsExactly("20251231/18", "20260102/18");
    }

    @Test
    void longInListsAndRanges() {
        String manyHours =
                java.util.stream.IntStream.range(0, 40)
                        .filter(h -> h % 12 != 0)
                        .mapToObj(Integer::toString)
                        .collect(Collectors.joining(", "));
        assertThat(pruned("hh IN (" + manyHours + ")"))
                .hasSize(6)
                .allMatch(p -> p.endsWith("/6") || p.endsWith("/18"));
        assertThat(pruned("hh NOT IN (" + manyHours + ") AND ds < '2026'"))
                .containsExactly("20251231/0", "20251231/12");
        assertThat(pruned("(hh > 0 AND hh < 10) OR (hh > 15 AND hh < 20)"))
                .hasSize(6)
                .allMatch(p -> p.endsWith("/6") || p.endsWith("/18"));
    }

    @Test
    void disjunctionsAcrossColumns() {
        assertThat(pruned("(ds = '20251231' AND hh = 18) OR (ds = '20260102' AND hh = 0)"))
                .containsExactly("20251231/18", "20260102/0");
    }

    @Test
    void integerColumnsComparedWithWiderLiterals() {
        // TINYINT against an INT literal: the planner widens the column or narrows the literal.
        assertThat(pruned("tiny = 3")).hasSize(3).allMatch(p -> p.endsWith("/18"));
        assertThat(pruned("hh > 5000000000")).isEmpty();
    }

    @Test
    void nullChecks() {
        assertThat(pruned("ds IS NOT NULL AND hh = 12")).hasSize(3);
    }

    @Test
    void filtersOnDataColumnsOrUnsupportedFunctionsStayWithFlink() {
        PartitionFilterTranslator.Result mixed =
                plan("ds = '20260101' AND name = 'x' AND ds LIKE '2026%'");
        assertThat(mixed.predicate().map(Object::toString)).contains("ds = '20260101'");
        assertThat(mixed.remaining()).hasSize(2);

        PartitionFilterTranslator.Result across = plan("ds = '20260101' OR name = 'x'");
        assertThat(across.accepted()).isEmpty();
        assertThat(across.remaining()).hasSize(1);
    }

    @Test
    void aStringColumnCastToANumberIsNotPruned() {
        // Flink rejects ds = 20260101 outright; the explicit cast parses with Flink's own rules.
        PartitionFilterTranslator.Result result = plan("CAST(ds AS INT) = 20260101");

        assertThat(result.accepted()).isEmpty();
        assertThat(result.remaining()).hasSize(1);
    }

    // ------------------------------------------------------------------------------------------
    // A catalog whose tables are served by a source that only translates filters.
    // ------------------------------------------------------------------------------------------

    private static final class PushDownCatalog extends GenericInMemoryCatalog {
        PushDownCatalog() {
            super("odps");
        }

        @Override
        public Optional<Factory> getFactory() {
            return Optional.of(new PushDownFactory());
        }
    }

    private static final class PushDownFactory implements DynamicTableSourceFactory {
        @Override
        public DynamicTableSource createDynamicTableSource(Context context) {
            ResolvedCatalogTable table = context.getCatalogTable();
            Map<String, LogicalType> partitionColumns = new LinkedHashMap<>();
            for (String key : table.getPartitionKeys()) {
                Column column = table.getResolvedSchema().getColumn(key).orElseThrow();
                partitionColumns.put(key, column.getDataType().getLogicalType());
            }
            return new PushDownSource(partitionColumns);
        }

        @Override
        public String factoryIdentifier() {
            return "push-down-test";
        }

        @Override
        public Set<ConfigOption<?>> requiredOptions() {
            return Set.of();
        }

        @Override
        public Set<ConfigOption<?>> optionalOptions() {
            return Set.of();
        }
    }

    private static final class PushDownSource implements ScanTableSource, SupportsFilterPushDown {
        private final Map<String, LogicalType> partitionColumns;

        PushDownSource(Map<String, LogicalType> partitionColumns) {
            this.partitionColumns = partitionColumns;
        }

        @Override
        public Result applyFilters(List<ResolvedExpression> filters) {
            PartitionFilterTranslator.Result result =
                    PartitionFilterTranslator.translate(filters, partitionColumns);
            lastResult = result;
            return Result.of(result.accepted(), result.remaining());
        }

        @Override
        public ChangelogMode getChangelogMode() {
            return ChangelogMode.insertOnly();
        }

        @Override
        public ScanRuntimeProvider getScanRuntimeProvider(ScanContext context) {
            // Only planned, never run.
            return SourceProvider.of(
                    new DataGeneratorSource<>(
                            index -> (RowData) GenericRowData.of(),
                            0,
                            TypeInformation.of(RowData.class)));
        }

        @Override
        public DynamicTableSource copy() {
            return new PushDownSource(partitionColumns);
        }

        @Override
        public String asSummaryString() {
            return "push-down-test";
        }
    }
}
