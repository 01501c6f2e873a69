package org.flinkconnectors.lake.delta;

import org.apache.flink.annotation.Internal;

import io.delta.kernel.TableManager;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.SnapshotImpl;
import io.delta.kernel.internal.actions.Metadata;
import io.delta.kernel.internal.actions.SingleAction;
import io.delta.kernel.internal.util.FileNames;
import io.delta.kernel.internal.util.Utils;
import io.delta.kernel.types.StructField;
import io.delta.kernel.types.StructType;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.FileAlreadyExistsException;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * {@code ALTER TABLE ... ADD column} on a Delta table: one new version whose only action is the
 * table's {@code metaData} with the columns appended, as the Delta protocol allows for nullable
 * columns without column mapping. Kernel changes schemas only on column-mapped tables, so the
 * version is written here, through Kernel's own atomic put-if-absent of the commit file; a
 * concurrent commit of the same version fails the ALTER instead of being overwritten.
 */
@Internal
public final class DeltaColumnAdditions {

    /** Writer features whose commits need more than a metaData action; refused here. */
    private static final Set<String> UNSUPPORTED_FEATURES =
            Set.of("inCommitTimestamp", "icebergCompatV1", "icebergCompatV2", "icebergCompatV3");

    private DeltaColumnAdditions() {}

    /** Appends {@code added} (nullable columns) to the schema; returns the new version. */
    public static long addColumns(String path, StructType added) {
        Engine engine = DeltaEngines.create();
        SnapshotImpl snapshot = (SnapshotImpl) TableManager.loadSnapshot(path).build(engine);
        checkWritable(path, snapshot);
        StructType schema = snapshot.getSchema();
        for (StructField field : added.fields()) {
            if (!field.isNullable()) {
                throw new IllegalArgumentException(
                        "Delta table at "
                                + path
                                + ": the added column '"
                                + field.getName()
                                + "' must be nullable; existing rows have no value for it.");
            }
            if (hasColumn(schema, field.getName())) {
                throw new IllegalArgumentException(
                        "Delta table at "
                                + path
                                + " already has a column '"
                                + field.getName()
                                + "' (Delta column names are case-insensitive).");
            }
            schema = schema.add(field);
        }
        Metadata changed = snapshot.getMetadata().withNewSchema(schema);
        long version = snapshot.getVersion() + 1;
        try {
            engine.getJsonHandler()
                    .writeJsonFileAtomically(
                            FileNames.deltaFile(snapshot.getLogPath(), version),
                            Utils.singletonCloseableIterator(
                                    SingleAction.createMetadataSingleAction(changed.toRow())),
                            false);
        } catch (FileAlreadyExistsException e) {
            throw new IllegalStateException(
                    "Another writer committed version "
                            + version
                            + " of the Delta table at "
                            + path
                            + " while its columns were being added; nothing was changed, run"
                            + " the ALTER TABLE again.",
                    e);
        } catch (IOException e) {
            throw new UncheckedIOException(
                    "Could not add columns to the Delta table at " + path, e);
        }
        return version;
    }

    private static void checkWritable(String path, SnapshotImpl snapshot) {
        Map<String, String> configuration = snapshot.getMetadata().getConfiguration();
        String mapping = configuration.getOrDefault("delta.columnMapping.mode", "none");
        if (!"none".equals(mapping)) {
            throw new UnsupportedOperationException(
                    "Delta table at "
                            + path
                            + " uses column mapping ("
                            + mapping
                            + "); adding columns to it is not supported yet.");
        }
        for (String feature : snapshot.getProtocol().getWriterFeatures()) {
            if (UNSUPPORTED_FEATURES.contains(feature)) {
                throw new UnsupportedOperationException(
                        "Delta table at "
                                + path
                                + " has the table feature '"
                                + feature
                                + "', whose commits carry more than the new schema; adding"
                                + " columns to it is not supported yet.");
            }
        }
    }

    private static boolean hasColumn(StructType schema, String name) {
        String lower = name.toLowerCase(Locale.ROOT);
        return schema.fieldNames().stream().anyMatch(n -> n.toLowerCase(Locale.ROOT).equals(lower));
    }
}
