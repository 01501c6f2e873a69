package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeCapability;
import org.flinkconnectors.lake.core.LakeScanSpec;
import org.flinkconnectors.lake.core.LakeTable;
import org.flinkconnectors.lake.source.LakeChangeRouting;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;

import java.io.IOException;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;

import static org.flinkconnectors.lake.table.LakeConnectorOptions.SCAN_MODE;
import static org.flinkconnectors.lake.table.LakeConnectorOptions.TABLE_FORMAT;

/**
 * The planning-time look at the table a {@code lake} DDL declares: the table exists, the
 * time-travel option points at a version, every declared column is a column of that version with
 * the same type, and a streaming mode is one the format can read. Failing here names the option or
 * column, rather than failing later in the job.
 */
@Internal
final class LakeTableCheck {

    private LakeTableCheck() {}

    /** Checks the table and the declaration; returns the table's columns. */
    static RowType check(LakeTableSettings settings, RowType declared) {
        if (settings.start != null) {
            checkStreaming(settings);
        }
        try (LakeTable table = open(settings)) {
            OptionalLong version = resolveVersion(settings, table);
            RowType actual =
                    table.producedType(
                            version, LakeScanSpec.builder().version(settings.version).build());
            checkColumns(table.name(), declared, actual);
            checkTableProperties(table, settings.tableProperties);
            return actual;
        } catch (IOException e) {
            throw new ValidationException(
                    "Could not open " + settings.loader.describe() + ": " + e.getMessage(), e);
        }
    }

    /**
     * Table-property options set the properties of a table the INSERT creates; on a table that
     * exists they must agree with it rather than be ignored.
     */
    private static void checkTableProperties(LakeTable table, Map<String, String> declared) {
        Map<String, String> actual = table.tableProperties();
        declared.forEach(
                (key, value) -> {
                    if (!value.equals(actual.get(key))) {
                        throw new ValidationException(
                                String.format(
                                        "%s has %s, but the table declares '%s' = '%s'. Table"
                                                + " properties among the options set those of a"
                                                + " table an INSERT creates; change an existing"
                                                + " table's with ALTER TABLE in a 'lake' catalog,"
                                                + " or remove the option.",
                                        table.name(),
                                        actual.containsKey(key)
                                                ? "'" + key + "' = '" + actual.get(key) + "'"
                                                : "no '" + key + "'",
                                        key,
                                        value));
                    }
                });
    }

    private static LakeTable open(LakeTableSettings settings) throws IOException {
        try {
            return settings.loader.load();
        } catch (IllegalArgumentException e) {
            throw new ValidationException(e.getMessage(), e);
        }
    }

    private static OptionalLong resolveVersion(LakeTableSettings settings, LakeTable table) {
        try {
            return table.resolveVersion(settings.version);
        } catch (IllegalArgumentException e) {
            String reading =
                    settings.versionOption == null
                            ? "Cannot read"
                            : "Option '" + settings.versionOption.key() + "' of";
            throw new ValidationException(
                    String.format("%s %s: %s.", reading, table.name(), e.getMessage()), e);
        }
    }

    /** Every declared column must be a table column of the same type (nullability aside). */
    static void checkColumns(String tableName, RowType declared, RowType actual) {
        for (RowType.RowField field : declared.getFields()) {
            int index = actual.getFieldIndex(field.getName());
            if (index < 0) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' is not a column of %s; its columns are %s.",
                                field.getName(), tableName, actual.getFieldNames()));
            }
            LogicalType tableType = actual.getTypeAt(index);
            if (!tableType.copy(true).equals(field.getType().copy(true))) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' is declared as %s, but in %s it is %s; declare it as"
                                        + " %s.",
                                field.getName(),
                                field.getType().asSummaryString(),
                                tableName,
                                tableType.asSummaryString(),
                                tableType.copy(true).asSummaryString()));
            }
        }
    }

    /**
     * For writes: a column the table requires must be declared NOT NULL, so Flink's sink NOT NULL
     * check stops a null with the column's name instead of the format's writer failing on it.
     */
    static void checkRequiredColumns(String tableName, RowType declared, RowType actual) {
        for (RowType.RowField field : declared.getFields()) {
            LogicalType tableType = actual.getTypeAt(actual.getFieldIndex(field.getName()));
            if (!tableType.isNullable() && field.getType().isNullable()) {
                throw new ValidationException(
                        String.format(
                                "Column '%s' is required in %s, so a table written to must declare"
                                        + " it as %s.",
                                field.getName(), tableName, tableType.asSummaryString()));
            }
        }
    }

    private static void checkStreaming(LakeTableSettings settings) {
        if (!settings.format.capabilities().contains(LakeCapability.STREAMING)) {
            throw new ValidationException(
                    String.format(
                            "'%s' = '%s' tables cannot be read as a stream yet, so '%s' = '%s' is"
                                    + " not possible for %s; use '%s' = 'bounded'.",
                            TABLE_FORMAT.key(),
                            settings.format.identifier(),
                            SCAN_MODE.key(),
                            settings.mode,
                            settings.loader.describe(),
                            SCAN_MODE.key()));
        }
    }

    /**
     * How a changelog read routes changes to readers: by partition unless the declared primary key
     * leaves out a partition column. A keyed consumer needs a key's delete and insert in order, and
     * a key that can change partition could then have them read by two readers at once.
     */
    static LakeChangeRouting changeRouting(LakeTableSettings settings, List<String> primaryKey) {
        try (LakeTable table = open(settings)) {
            List<String> partitionColumns = table.partitionColumns();
            return primaryKey.isEmpty() || primaryKey.containsAll(partitionColumns)
                    ? LakeChangeRouting.BY_PARTITION
                    : LakeChangeRouting.ONE_READER;
        } catch (IOException e) {
            throw new ValidationException(
                    "Could not open " + settings.loader.describe() + ": " + e.getMessage(), e);
        }
    }
}
