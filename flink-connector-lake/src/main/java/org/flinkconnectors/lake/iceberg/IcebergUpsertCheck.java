package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;

import org.apache.iceberg.PartitionField;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.TableUtil;
import org.apache.iceberg.types.Types;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Checks on the client that an Iceberg table can be upserted by a key, and maps the key to its
 * equality field ids. Each failure is an {@link IllegalArgumentException} naming the table and what
 * to change.
 *
 * <ul>
 *   <li>Delete files need format version 2 or later.
 *   <li>Every partition source column must be in the key (as Iceberg's own Flink sink requires):
 *       otherwise a key whose partition value changes would leave its old row in the old partition,
 *       which the new row's equality delete does not reach.
 *   <li>If the table declares identifier fields, the key must be exactly those columns, so every
 *       engine agrees on what a row's identity is. A table without identifier fields is not
 *       changed: the key is only used for this sink's equality deletes.
 * </ul>
 */
@Internal
final class IcebergUpsertCheck {

    private IcebergUpsertCheck() {}

    static List<Integer> equalityFieldIds(Table table, String name, List<String> keyColumns) {
        if (keyColumns.isEmpty()) {
            throw new IllegalArgumentException("An upsert into " + name + " needs key columns.");
        }
        int version = TableUtil.formatVersion(table);
        if (version < 2) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s has Iceberg format version %d, but an upsert with a PRIMARY KEY"
                                    + " writes equality delete files, which need format version 2"
                                    + " or later; upgrade it (table property"
                                    + " 'format-version' = '2') or declare no PRIMARY KEY.",
                            name, version));
        }
        Schema schema = table.schema();
        List<Integer> ids = new ArrayList<>();
        for (String column : keyColumns) {
            Types.NestedField field = schema.findField(column);
            if (field == null) {
                throw new IllegalArgumentException(
                        "The PRIMARY KEY column '" + column + "' is not a column of " + name + '.');
            }
            ids.add(field.fieldId());
        }
        checkPartitionSources(table, name, keyColumns);
        checkIdentifierFields(schema, name, keyColumns);
        return ids;
    }

    private static void checkPartitionSources(Table table, String name, List<String> keyColumns) {
        Set<String> missing = new LinkedHashSet<>();
        for (PartitionField field : table.spec().fields()) {
            String source = table.schema().findColumnName(field.sourceId());
            if (!keyColumns.contains(source)) {
                missing.add(source);
            }
        }
        if (!missing.isEmpty()) {
            throw new IllegalArgumentException(
                    String.format(
                            "%s is partitioned by the columns %s, which are not all in the"
                                    + " PRIMARY KEY %s: Iceberg upserts need every partition"
                                    + " source column in the key; add %s to the PRIMARY KEY.",
                            name, partitionSources(table), keyColumns, missing));
        }
    }

    private static Set<String> partitionSources(Table table) {
        Set<String> sources = new LinkedHashSet<>();
        table.spec()
                .fields()
                .forEach(f -> sources.add(table.schema().findColumnName(f.sourceId())));
        return sources;
    }

    private static void checkIdentifierFields(Schema schema, String name, List<String> keyColumns) {
        Set<String> identifiers = new TreeSet<>(schema.identifierFieldNames());
        if (!identifiers.isEmpty() && !identifiers.equals(new TreeSet<>(keyColumns))) {
            throw new IllegalArgumentException(
                    String.format(
                            "The PRIMARY KEY %s does not match the identifier fields %s of %s;"
                                    + " declare PRIMARY KEY (%s) NOT ENFORCED.",
                            keyColumns, identifiers, name, String.join(", ", identifiers)));
        }
    }
}
