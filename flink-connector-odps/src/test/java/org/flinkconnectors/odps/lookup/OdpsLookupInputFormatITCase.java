package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.odps.partition.PartitionSpecPattern;
import org.flinkconnectors.odps.source.PartitionSelector;
import org.flinkconnectors.odps.testutils.OdpsTestServer;
import org.flinkconnectors.odps.testutils.OdpsTestTables;

import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarCharType;
import org.apache.flink.util.InstantiationUtil;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.RegisterExtension;

import java.util.ArrayList;
import java.util.List;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.tuple;
import static org.flinkconnectors.odps.lookup.LookupTestTables.appendDimension;
import static org.flinkconnectors.odps.lookup.LookupTestTables.createDimensionTable;

/**
 * The full cache's input format against the test server, driven as Flink's cache loader drives it:
 * splits planned at every load (so {@code max_pt()} moves on), each read by a copy.
 */
class OdpsLookupInputFormatITCase {

    @RegisterExtension static final OdpsTestServer ODPS = new OdpsTestServer();

    private static final RowType ROW =
            RowType.of(
                    new LogicalType[] {
                        new VarCharType(VarCharType.MAX_LENGTH),
                        new BigIntType(),
                        new VarCharType(VarCharType.MAX_LENGTH)
                    },
                    new String[] {"name", "id", "ds"});

    @Test
    void everyLoadSelectsTheNewestPartitionAndCutsItIntoRowRanges() throws Exception {
        String dim = createDimensionTable(ODPS);
        appendDimension(ODPS, dim, "ds=20261120", "old-", 5);
        OdpsLookupInputFormat format = format(dim, maxPt(), 2);

        OdpsLookupSplit[] first = format.createInputSplits(1);
        assertThat(first)
                .extracting(OdpsLookupSplit::toString)
                .allSatisfy(s -> assertThat(s).contains("ds=20261120"));
        assertThat(first)
                .extracting(OdpsLookupSplit::start, OdpsLookupSplit::count)
                .containsExactly(tuple(0L, 2L), tuple(2L, 2L), tuple(4L, 1L));
        assertThat(readAll(format, first))
                .containsExactlyInAnyOrder(
                        "old-1,1,20261120",
                        "old-2,2,20261120",
                        "old-3,3,20261120",
                        "old-4,4,20261120",
                        "old-5,5,20261120");

        appendDimension(ODPS, dim, "ds=20261121", "new-", 1);
        assertThat(readAll(format, format.createInputSplits(1)))
                .containsExactly("new-1,1,20261121");
    }

    @Test
    void aLoadThatSelectsNothingHasOneEmptySplit() throws Exception {
        String dim = createDimensionTable(ODPS);
        OdpsLookupInputFormat format = format(dim, maxPt(), 100);

        OdpsLookupSplit[] splits = format.createInputSplits(1);

        assertThat(splits).hasSize(1);
        assertThat(splits[0].isEmpty()).isTrue();
        assertThat(readAll(format, splits)).isEmpty();
    }

    private static PartitionSelector maxPt() {
        PartitionSpecPattern pattern = PartitionSpecPattern.parse("max_pt()");
        return specs -> pattern.select(specs, List.of("ds"));
    }

    private static OdpsLookupInputFormat format(
            String table, PartitionSelector selector, long splitRows) {
        return new OdpsLookupInputFormat(
                new OdpsLookupTable(
                        OdpsTestTables.connection(ODPS),
                        table,
                        selector,
                        ROW,
                        List.of("name", "id"),
                        splitRows,
                        0));
    }

    /** Reads each split with its own copy of the format, as the cache loader's threads do. */
    private static List<String> readAll(OdpsLookupInputFormat format, OdpsLookupSplit[] splits)
            throws Exception {
        List<String> rows = new ArrayList<>();
        for (OdpsLookupSplit split : splits) {
            OdpsLookupInputFormat copy = InstantiationUtil.clone(format);
            copy.openInputFormat();
            copy.open(split);
            while (!copy.reachedEnd()) {
                RowData row = copy.nextRecord(null);
                rows.add(row.getString(0) + "," + row.getLong(1) + "," + row.getString(2));
            }
            copy.close();
            copy.closeInputFormat();
        }
        return rows;
    }
}
