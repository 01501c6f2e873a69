package org.flinkconnectors.lake.delta;

import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeSchemaCheck;
import org.flinkconnectors.lake.core.LakeWriteSpec;
import org.flinkconnectors.lake.core.LakeWriterFactory;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

import io.delta.kernel.Operation;
import io.delta.kernel.Snapshot;
import io.delta.kernel.data.Row;
import io.delta.kernel.defaults.internal.json.JsonUtils;
import io.delta.kernel.engine.Engine;
import io.delta.kernel.internal.types.DataTypeJsonSerDe;
import io.delta.kernel.types.StructField;

import java.util.HashMap;
import java.util.Map;

/**
 * Creates Delta writers from the state of a Kernel transaction opened on the client against the
 * latest version: schema, partition columns, protocol and table root. The transaction itself is
 * never committed; it only fixes how files are written. Its state travels as Kernel's JSON form of
 * the row, as the reader factory's scan state does.
 */
@Internal
final class DeltaWriterFactory implements LakeWriterFactory {

    private static final long serialVersionUID = 1L;

    static final String ENGINE_INFO = "flink-connector-suite";

    /** The Hadoop property Kernel's Parquet writer takes its codec from (Parquet's own key). */
    static final String PARQUET_COMPRESSION = "parquet.compression";

    /** The Delta table property naming the Parquet codec, as Spark's Delta writer honours it. */
    static final String TABLE_COMPRESSION = "delta.parquet.compression.codec";

    /** Kernel's own default size at which its Parquet writer rolls files. */
    private static final long DEFAULT_TARGET_FILE_SIZE = 128L * 1024 * 1024;

    private final HashMap<String, String> hadoopProperties;
    private final String stateJson;
    private final String stateSchemaJson;
    private final long targetFileSizeBytes;
    private final long bufferMemoryBytes;

    private DeltaWriterFactory(
            Map<String, String> hadoopProperties,
            Row state,
            long targetFileSizeBytes,
            long bufferMemoryBytes) {
        this.hadoopProperties = new HashMap<>(hadoopProperties);
        this.stateJson = JsonUtils.rowToJson(state);
        this.stateSchemaJson = state.getSchema().toJson();
        this.targetFileSizeBytes = targetFileSizeBytes;
        this.bufferMemoryBytes = bufferMemoryBytes;
    }

    static DeltaWriterFactory create(
            Engine engine,
            Snapshot latest,
            String name,
            Map<String, String> hadoopProperties,
            RowType rowType,
            LakeWriteSpec spec) {
        // Delta Kernel 4.4's Transaction.transformLogicalData refuses tables with column mapping
        // (it does not map logical to physical names and field ids for writes yet).
        String mapping = latest.getTableProperties().get("delta.columnMapping.mode");
        if (mapping != null && !"none".equals(mapping)) {
            throw new IllegalArgumentException(
                    name
                            + " uses column mapping (mode '"
                            + mapping
                            + "'), which cannot be written yet: Delta Kernel 4.4 does not write"
                            + " column-mapped tables.");
        }
        checkFitsSchema(name, latest, rowType);
        Row state =
                latest.buildUpdateTableTransaction(ENGINE_INFO, Operation.WRITE)
                        .build(engine)
                        .getTransactionState(engine);
        long target =
                spec.targetFileSizeBytes() != null
                        ? spec.targetFileSizeBytes()
                        : DEFAULT_TARGET_FILE_SIZE;
        // One file's worth by default: a writer of one partition fills whole files, as before.
        long budget = spec.bufferMemoryBytes() != null ? spec.bufferMemoryBytes() : target;
        return new DeltaWriterFactory(
                withCompression(hadoopProperties, latest.getTableProperties()),
                state,
                target,
                budget);
    }

    /**
     * Kernel writes uncompressed Parquet unless told otherwise (about five times the bytes of the
     * same rows in snappy). The codec is the table's {@value #TABLE_COMPRESSION}, else the Hadoop
     * property {@value #PARQUET_COMPRESSION}, else snappy, the codec Spark's Delta writer uses.
     */
    static Map<String, String> withCompression(
            Map<String, String> hadoopProperties, Map<String, String> tableProperties) {
        Map<String, String> properties = new HashMap<>(hadoopProperties);
        String tableCodec = tableProperties.get(TABLE_COMPRESSION);
        if (tableCodec != null) {
            properties.put(PARQUET_COMPRESSION, tableCodec.toUpperCase(java.util.Locale.ROOT));
        } else {
            properties.putIfAbsent(PARQUET_COMPRESSION, "SNAPPY");
        }
        return properties;
    }

    /** Same column names in the same order with the same types; nullability is checked later. */
    private static void checkFitsSchema(String name, Snapshot latest, RowType rowType) {
        LakeSchemaCheck.checkFits(
                name,
                DeltaTypes.toRowType(latest.getSchema()),
                rowType,
                column -> {
                    StructField field = latest.getSchema().at(column);
                    if (!DeltaWriteValues.isWritable(field.getDataType())) {
                        throw new IllegalArgumentException(
                                "Column '"
                                        + field.getName()
                                        + "' of "
                                        + name
                                        + " has the type "
                                        + field.getDataType()
                                        + ", which cannot be written yet.");
                    }
                });
    }

    @Override
    public LakeDataWriter create(int subtaskId, int numberOfSubtasks, int attemptNumber) {
        Row state =
                JsonUtils.rowFromJson(
                        stateJson, DataTypeJsonSerDe.deserializeStructType(stateSchemaJson));
        return new DeltaDataWriter(
                DeltaEngines.create(hadoopProperties),
                state,
                targetFileSizeBytes,
                bufferMemoryBytes);
    }
}
