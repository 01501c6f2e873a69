package org.flinkconnectors.odps.types;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamReader;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamWriter;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.io.CompressOption;

import java.io.ByteArrayInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.List;

/**
 * Sends records through the SDK's own tunnel wire format (protobuf, uncompressed) and back, so
 * tests see the Java objects a real download hands out rather than the ones they set.
 */
final class TunnelWireCodec {

    private static final CompressOption NO_COMPRESSION =
            new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);

    private TunnelWireCodec() {}

    /** Encodes with the table's data columns and decodes them all. */
    static List<Record> roundTrip(TableSchema schema, List<Record> records) throws IOException {
        return roundTrip(schema, records, schema, null);
    }

    /**
     * Encodes {@code records} laid out as {@code writeSchema}'s data columns and decodes them as
     * {@code readColumns} of {@code readSchema}, the way a download session with a column list
     * sends only those columns, in that order.
     */
    static List<Record> roundTrip(
            TableSchema writeSchema,
            List<Record> records,
            TableSchema readSchema,
            List<Column> readColumns)
            throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        ProtobufRecordStreamWriter writer =
                new ProtobufRecordStreamWriter(writeSchema, bytes, NO_COMPRESSION);
        for (Record record : records) {
            writer.write(record);
        }
        writer.close();

        List<Record> decoded = new ArrayList<>();
        try (ProtobufRecordStreamReader reader =
                new ProtobufRecordStreamReader(
                        readSchema,
                        readColumns,
                        new ByteArrayInputStream(bytes.toByteArray()),
                        NO_COMPRESSION)) {
            Record record;
            while ((record = reader.read()) != null) {
                decoded.add(record);
            }
        }
        return decoded;
    }
}
