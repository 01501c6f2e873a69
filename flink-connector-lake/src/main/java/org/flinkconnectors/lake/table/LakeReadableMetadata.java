package org.flinkconnectors.lake.table;

import org.flinkconnectors.lake.core.LakeFormat;
import org.flinkconnectors.lake.source.LakeMetadataColumn;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.ValidationException;
import org.apache.flink.table.types.DataType;
import org.apache.flink.table.types.utils.TypeConversions;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The metadata keys of {@code lake} tables, for columns such as {@code file_path STRING METADATA
 * FROM 'file.path' VIRTUAL}. The version key is the format's ({@link
 * org.flinkconnectors.lake.core.LakeVersionNaming#metadataKey()}): Iceberg says {@code
 * 'snapshot-id'} (as in {@code 'scan.snapshot-id'}), Delta says {@code 'version'}.
 */
@Internal
final class LakeReadableMetadata {

    static final String FILE_PATH = "file.path";

    private LakeReadableMetadata() {}

    /** The keys a table of this format offers, with their types, in a stable order. */
    static Map<String, DataType> of(LakeFormat format) {
        Map<String, DataType> keys = new LinkedHashMap<>();
        keys.put(FILE_PATH, dataType(LakeMetadataColumn.FILE_PATH));
        keys.put(versionKey(format), dataType(LakeMetadataColumn.VERSION));
        return keys;
    }

    /** The source's metadata columns of the keys, in their order. */
    static List<LakeMetadataColumn> columns(LakeFormat format, List<String> keys) {
        return keys.stream().map(key -> column(format, key)).toList();
    }

    private static LakeMetadataColumn column(LakeFormat format, String key) {
        if (FILE_PATH.equals(key)) {
            return LakeMetadataColumn.FILE_PATH;
        } else if (versionKey(format).equals(key)) {
            return LakeMetadataColumn.VERSION;
        }
        // Flink checks the keys first; this guards a planner that would not.
        throw new ValidationException(
                String.format(
                        "Unknown metadata key '%s' of a '%s' table; valid keys are %s.",
                        key, format.identifier(), of(format).keySet()));
    }

    private static String versionKey(LakeFormat format) {
        return format.versionNaming().metadataKey();
    }

    private static DataType dataType(LakeMetadataColumn column) {
        return TypeConversions.fromLogicalToDataType(column.type());
    }
}
