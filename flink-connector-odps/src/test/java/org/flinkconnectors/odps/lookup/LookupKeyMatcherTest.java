package org.flinkconnectors.odps.lookup;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.StringData;
import org.apache.flink.table.types.logical.BigIntType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.table.types.logical.VarBinaryType;
import org.apache.flink.table.types.logical.VarCharType;

import org.junit.jupiter.api.Test;

import static org.assertj.core.api.Assertions.assertThat;

/** Matching scanned rows against lookup keys. */
class LookupKeyMatcherTest {

    private static final RowType ROW =
            RowType.of(
                    new BigIntType(),
                    new VarCharType(VarCharType.MAX_LENGTH),
                    new VarBinaryType(VarBinaryType.MAX_LENGTH),
                    new VarCharType(VarCharType.MAX_LENGTH));

    private static GenericRowData row(Long id, String name, byte[] code, String ds) {
        return GenericRowData.of(
                id,
                name == null ? null : StringData.fromString(name),
                code,
                StringData.fromString(ds));
    }

    @Test
    void keysMayPickAnyColumnsInAnyOrder() {
        // Key (ds, id): a partition column and a data column.
        LookupKeyMatcher matcher = new LookupKeyMatcher(ROW, new int[] {3, 0});
        GenericRowData row = row(7L, "seven", new byte[] {1}, "20261121");

        assertThat(matcher.matches(row, GenericRowData.of(StringData.fromString("20261121"), 7L)))
                .isTrue();
        assertThat(matcher.matches(row, GenericRowData.of(StringData.fromString("20261120"), 7L)))
                .isFalse();
        assertThat(matcher.matches(row, GenericRowData.of(StringData.fromString("20261121"), 8L)))
                .isFalse();
    }

    @Test
    void binaryKeysCompareByContent() {
        LookupKeyMatcher matcher = new LookupKeyMatcher(ROW, new int[] {2});

        assertThat(
                        matcher.matches(
                                row(1L, "a", new byte[] {1, 2}, "d"),
                                GenericRowData.of((Object) new byte[] {1, 2})))
                .isTrue();
        assertThat(
                        matcher.matches(
                                row(1L, "a", new byte[] {1, 3}, "d"),
                                GenericRowData.of((Object) new byte[] {1, 2})))
                .isFalse();
    }

    @Test
    void nullsNeverMatch() {
        LookupKeyMatcher matcher = new LookupKeyMatcher(ROW, new int[] {1});
        GenericRowData nullKey = GenericRowData.of((Object) null);

        assertThat(matcher.hasNull(nullKey)).isTrue();
        assertThat(matcher.matches(row(1L, null, null, "d"), nullKey)).isFalse();
        assertThat(
                        matcher.matches(
                                row(1L, null, null, "d"),
                                GenericRowData.of(StringData.fromString("a"))))
                .isFalse();
        assertThat(matcher.hasNull(GenericRowData.of(StringData.fromString("a")))).isFalse();
    }
}
