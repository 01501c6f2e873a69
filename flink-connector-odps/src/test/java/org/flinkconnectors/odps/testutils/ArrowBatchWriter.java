package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.TableSchema;
import com.aliyun.odps.commons.util.ArrowUtils;
import com.aliyun.odps.data.AbstractChar;
import com.aliyun.odps.data.Binary;
import com.aliyun.odps.data.Record;
import org.apache.arrow.memory.BufferAllocator;
import org.apache.arrow.memory.RootAllocator;
import org.apache.arrow.vector.BigIntVector;
import org.apache.arrow.vector.BitVector;
import org.apache.arrow.vector.DateDayVector;
import org.apache.arrow.vector.DateMilliVector;
import org.apache.arrow.vector.DecimalVector;
import org.apache.arrow.vector.FieldVector;
import org.apache.arrow.vector.Float4Vector;
import org.apache.arrow.vector.Float8Vector;
import org.apache.arrow.vector.IntVector;
import org.apache.arrow.vector.SmallIntVector;
import org.apache.arrow.vector.TimeStampNanoVector;
import org.apache.arrow.vector.TinyIntVector;
import org.apache.arrow.vector.VarBinaryVector;
import org.apache.arrow.vector.VarCharVector;
import org.apache.arrow.vector.VectorSchemaRoot;
import org.apache.arrow.vector.VectorUnloader;
import org.apache.arrow.vector.ipc.ArrowStreamWriter;
import org.apache.arrow.vector.ipc.WriteChannel;
import org.apache.arrow.vector.ipc.message.ArrowRecordBatch;
import org.apache.arrow.vector.ipc.message.IpcOption;
import org.apache.arrow.vector.ipc.message.MessageSerializer;
import org.apache.arrow.vector.types.pojo.Schema;

import java.io.IOException;
import java.io.OutputStream;
import java.math.BigDecimal;
import java.math.RoundingMode;
import java.nio.channels.Channels;
import java.nio.charset.StandardCharsets;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.LocalDate;
import java.time.LocalDateTime;
import java.time.ZoneOffset;
import java.time.ZonedDateTime;
import java.util.Date;
import java.util.List;

/**
 * Writes rows the way the tunnel answers an Arrow download: record batches without a leading schema
 * message (the SDK derives the schema from the session's, with {@link ArrowUtils}, and so does this
 * writer), in the SDK's Arrow layout per MaxCompute type: DATETIME as milliseconds, TIMESTAMP as
 * nanoseconds since the epoch, DATE as days.
 */
final class ArrowBatchWriter {

    /** Rows per record batch: small, so that tests cross batch boundaries. */
    static final int BATCH_ROWS = 256;

    private static final BufferAllocator ALLOCATOR = new RootAllocator();

    private ArrowBatchWriter() {}

    /**
     * Writes {@code rows} and the end marker: column {@code i} of {@code schema} is value {@code
     * columnIndexes[i]} of each row.
     */
    static void write(TableSchema schema, List<Record> rows, int[] columnIndexes, OutputStream out)
            throws IOException {
        Schema arrowSchema = ArrowUtils.tableSchemaToArrowSchema(schema);
        WriteChannel channel = new WriteChannel(Channels.newChannel(out));
        try (BufferAllocator allocator =
                        ALLOCATOR.newChildAllocator("download", 0, Long.MAX_VALUE);
                VectorSchemaRoot root = VectorSchemaRoot.create(arrowSchema, allocator)) {
            root.allocateNew();
            List<FieldVector> vectors = root.getFieldVectors();
            Setter[] setters = new Setter[vectors.size()];
            for (int column = 0; column < setters.length; column++) {
                setters[column] = setter(vectors.get(column));
            }
            for (int from = 0; from < rows.size(); from += BATCH_ROWS) {
                List<Record> batch = rows.subList(from, Math.min(rows.size(), from + BATCH_ROWS));
                fill(root, setters, columnIndexes, batch);
                try (ArrowRecordBatch message = new VectorUnloader(root).getRecordBatch()) {
                    MessageSerializer.serialize(channel, message);
                }
            }
            ArrowStreamWriter.writeEndOfStream(channel, IpcOption.DEFAULT);
        }
    }

    /** Sets one non-null value of one vector. */
    @FunctionalInterface
    private interface Setter {
        void set(int row, Object value);
    }

    /** Refills the root's vectors (reusing their buffers) with the batch's values. */
    private static void fill(
            VectorSchemaRoot root, Setter[] setters, int[] columnIndexes, List<Record> rows) {
        List<FieldVector> vectors = root.getFieldVectors();
        for (int column = 0; column < vectors.size(); column++) {
            FieldVector vector = vectors.get(column);
            // Clears the validity bits and offsets the last batch left, keeping the buffers.
            vector.reset();
            Setter setter = setters[column];
            int index = columnIndexes[column];
            for (int row = 0; row < rows.size(); row++) {
                Object value = rows.get(row).get(index);
                if (value != null) {
                    setter.set(row, value);
                }
            }
            vector.setValueCount(rows.size());
        }
        root.setRowCount(rows.size());
    }

    private static Setter setter(FieldVector vector) {
        if (vector instanceof BigIntVector) {
            BigIntVector v = (BigIntVector) vector;
            return (row, value) -> v.setSafe(row, ((Number) value).longValue());
        } else if (vector instanceof IntVector) {
            IntVector v = (IntVector) vector;
            return (row, value) -> v.setSafe(row, ((Number) value).intValue());
        } else if (vector instanceof SmallIntVector) {
            SmallIntVector v = (SmallIntVector) vector;
            return (row, value) -> v.setSafe(row, ((Number) value).shortValue());
        } else if (vector instanceof TinyIntVector) {
            TinyIntVector v = (TinyIntVector) vector;
            return (row, value) -> v.setSafe(row, ((Number) value).byteValue());
        } else if (vector instanceof Float8Vector) {
            Float8Vector v = (Float8Vector) vector;
            return (row, value) -> v.setSafe(row, ((Number) value).doubleValue());
        } else if (vector instanceof Float4Vector) {
            Float4Vector v = (Float4Vector) vector;
            return (row, value) -> v.setSafe(row, ((Number) value).floatValue());
        } else if (vector instanceof BitVector) {
            BitVector v = (BitVector) vector;
            return (row, value) -> v.setSafe(row, (Boolean) value ? 1 : 0);
        } else if (vector instanceof DecimalVector) {
            DecimalVector v = (DecimalVector) vector;
            return (row, value) ->
                    v.setSafe(
                            row,
                            ((BigDecimal) value).setScale(v.getScale(), RoundingMode.UNNECESSARY));
        } else if (vector instanceof VarCharVector) {
            VarCharVector v = (VarCharVector) vector;
            return (row, value) -> v.setSafe(row, text(value));
        } else if (vector instanceof VarBinaryVector) {
            VarBinaryVector v = (VarBinaryVector) vector;
            return (row, value) ->
                    v.setSafe(
                            row,
                            value instanceof Binary ? ((Binary) value).data() : (byte[]) value);
        } else if (vector instanceof DateDayVector) {
            DateDayVector v = (DateDayVector) vector;
            return (row, value) -> v.setSafe(row, (int) epochDay(value));
        } else if (vector instanceof DateMilliVector) {
            DateMilliVector v = (DateMilliVector) vector;
            return (row, value) -> v.setSafe(row, instant(value).toEpochMilli());
        } else if (vector instanceof TimeStampNanoVector) {
            TimeStampNanoVector v = (TimeStampNanoVector) vector;
            return (row, value) -> {
                Instant instant = instant(value);
                v.setSafe(row, instant.getEpochSecond() * 1_000_000_000L + instant.getNano());
            };
        }
        throw ServerException.badRequest(
                "InvalidArgument",
                "OdpsTestServer cannot serve column "
                        + vector.getName()
                        + " of Arrow type "
                        + vector.getField().getType()
                        + " in Arrow downloads.");
    }

    private static byte[] text(Object value) {
        if (value instanceof byte[]) {
            return (byte[]) value;
        }
        String text =
                value instanceof AbstractChar
                        ? ((AbstractChar<?>) value).getValue()
                        : value.toString();
        return text.getBytes(StandardCharsets.UTF_8);
    }

    private static long epochDay(Object value) {
        if (value instanceof LocalDate) {
            return ((LocalDate) value).toEpochDay();
        }
        return Math.floorDiv(((Date) value).getTime(), 86_400_000L);
    }

    /** The instants the SDK's types stand for; a LocalDateTime (TIMESTAMP_NTZ) as if in UTC. */
    private static Instant instant(Object value) {
        if (value instanceof Instant) {
            return (Instant) value;
        }
        if (value instanceof ZonedDateTime) {
            return ((ZonedDateTime) value).toInstant();
        }
        if (value instanceof LocalDateTime) {
            return ((LocalDateTime) value).toInstant(ZoneOffset.UTC);
        }
        if (value instanceof Timestamp) {
            return ((Timestamp) value).toInstant();
        }
        return Instant.ofEpochMilli(((Date) value).getTime());
    }
}
