package org.flinkconnectors.streams.table;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.api.DataTypes;
import org.apache.flink.table.types.DataType;

/** The metadata columns a {@code streams} sink can write, with their SQL types. */
@Internal
enum WritableMetadata {
    TOPIC("topic", DataTypes.STRING().nullable()),
    HEADERS(
            "headers",
            DataTypes.MAP(DataTypes.STRING().nullable(), DataTypes.BYTES().nullable()).nullable()),
    TIMESTAMP("timestamp", DataTypes.TIMESTAMP_LTZ(3).nullable());

    final String key;
    final DataType dataType;

    WritableMetadata(String key, DataType dataType) {
        this.key = key;
        this.dataType = dataType;
    }

    static WritableMetadata ofKey(String key) {
        for (WritableMetadata metadata : values()) {
            if (metadata.key.equals(key)) {
                return metadata;
            }
        }
        throw new IllegalArgumentException("Unknown metadata key " + key);
    }
}
