package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.source.LakeMetadataColumn;
import org.flinkconnectors.lake.table.LakeConnectorOptions.TableFormat;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.utils.TypeConversions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata keys of {@code lake} tables, for columns such as {@code file_path STRING METADATA
 * FROM 'file.path' VIRTUAL}. The version key follows the option vocabulary: Iceberg says {@code
 * 'snapshot-id'} (as in {@code 'scan.snapshot-id'}), Delta says {@code 'version'}.
 */
@Internal
final class LakeReadableMetadata {

    static final String FILE_PATH = "file.path";
    static final String SNAPSHOT_ID = "snapshot-id";
    static final String VERSION = "version";

    private LakeReadableMetadata() {}

    /** The keys a table of this format offers, with their types, in a stable order. */
    static Map<String, DataType> of(TableFormat format) {
        Map<String, DataType> keys = new LinkedHashMap<>();
        keys.put(FILE_PATH, dataType(LakeMetadataColumn.FILE_PATH));
        keys.put(versionKey(format), dataType(LakeMetadataColumn.VERSION));
        return keys;
    }

    /** The source's metadata columns of the keys, in their order. */
    static List<LakeMetadataColumn> columns(TableFormat format, List<String> keys) {
        return keys.stream().map(key -> column(format, key)).toList();
    }

    private static LakeMetadataColumn column(TableFormat format, String key) {
        if (FILE_PATH.equals(key)) {
            return LakeMetadataColumn.FILE_PATH;
        } else if (versionKey(format).equals(key)) {
            return LakeMetadataColumn.VERSION;
        }
        // Flink checks the keys first; this guards a planner that would not.
        throw new ValidationException(
                String.format(
                        "Unknown metadata key '%s' of a '%s' table; valid keys are %s.",
                        key, format, of(format).keySet()));
    }

    private static String versionKey(TableFormat format) {
        return format == TableFormat.ICEBERG ? SNAPSHOT_ID : VERSION;
    }

    private static DataType dataType(LakeMetadataColumn column) {
        return TypeConversions.fromLogicalToDataType(column.type());
    }
}
