package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.OdpsType;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.commons.proto.ProtobufRecordStreamReader;
import com.aliyun.odps.data.ArrayRecord;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TunnelConstants;
import com.aliyun.odps.tunnel.hasher.DecimalHashObject;
import com.aliyun.odps.tunnel.hasher.TypeHasher;
import com.aliyun.odps.type.DecimalTypeInfo;
import com.aliyun.odps.type.TypeInfoFactory;

import java.io.IOException;
import java.io.InputStream;
import java.math.BigDecimal;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The records of the upsert tunnel: a data request carries one bucket's rows as a protobuf record
 * stream of the table's data columns followed by the SDK's hidden columns ({@code __version},
 * {@code __app_version}, {@code __operation} = 'U' or 'D', {@code __key_cols}, {@code
 * __value_cols}). Decoding checks what the service would: the declared record count, the operation,
 * non-null key columns and that each row hashes into the bucket it was sent to.
 */
final class UpsertRecords {

    private static final byte UPSERT = 'U';
    private static final byte DELETE = 'D';

    private UpsertRecords() {}

    static List<ServerUpsertSession.Change> decode(
            ServerUpsertSession session, int bucket, ServerRequest request) throws IOException {
        ServerTable table = session.table;
        List<Column> dataColumns = table.schema().getColumns();
        TableSchema wireSchema = wireSchema(dataColumns);
        int operationIndex = dataColumns.size() + 2;
        int[] keyIndexes = keyIndexes(table);
        List<ServerUpsertSession.Change> changes = new ArrayList<>();
        try (InputStream in = request.body()) {
            ProtobufRecordStreamReader reader =
                    new ProtobufRecordStreamReader(
                            wireSchema,
                            in,
                            TunnelFormats.compression(request.header("Content-Encoding")));
            Record record;
            while ((record = reader.read()) != null) {
                Object operation = record.get(operationIndex);
                if (!Byte.valueOf(UPSERT).equals(operation)
                        && !Byte.valueOf(DELETE).equals(operation)) {
                    throw ServerException.badRequest(
                            "InvalidArgument", "Unknown upsert operation " + operation);
                }
                int actualBucket = bucketOf(record, keyIndexes, dataColumns);
                if (actualBucket != bucket) {
                    throw ServerException.badRequest(
                            "InvalidArgument",
                            "A row of bucket " + actualBucket + " was sent to bucket " + bucket);
                }
                ArrayRecord row = new ArrayRecord(dataColumns.toArray(new Column[0]));
                for (int i = 0; i < dataColumns.size(); i++) {
                    row.set(i, record.get(i));
                }
                changes.add(
                        new ServerUpsertSession.Change(
                                Byte.valueOf(DELETE).equals(operation), row));
            }
        } catch (IOException | RuntimeException e) {
            if (e instanceof ServerException) {
                throw e;
            }
            throw ServerException.badRequest(
                    "MalformedDataStream", "Bad upsert data: " + e.getMessage());
        }
        String declared = request.param(TunnelConstants.RECORD_COUNT);
        if (declared == null || Long.parseLong(declared) != changes.size()) {
            throw ServerException.badRequest(
                    "InvalidArgument",
                    "record_count " + declared + " does not match the " + changes.size() + " rows");
        }
        return changes;
    }

    /** The rows after the changes: upserts replace a key's row or add it, deletes remove it. */
    static List<Record> applyByKey(
            ServerTable table, List<Record> rows, List<ServerUpsertSession.Change> changes) {
        int[] keyIndexes = keyIndexes(table);
        Map<List<Object>, Record> byKey = new LinkedHashMap<>();
        for (Record row : rows) {
            byKey.put(key(row, keyIndexes), row);
        }
        for (ServerUpsertSession.Change change : changes) {
            List<Object> key = key(change.row, keyIndexes);
            if (change.delete) {
                byKey.remove(key);
            } else {
                byKey.put(key, change.row);
            }
        }
        return new ArrayList<>(byKey.values());
    }

    private static TableSchema wireSchema(List<Column> dataColumns) {
        TableSchema schema = new TableSchema();
        dataColumns.forEach(schema::addColumn);
        schema.addColumn(new Column(TunnelConstants.META_FIELD_VERSION, OdpsType.BIGINT));
        schema.addColumn(new Column(TunnelConstants.META_FIELD_APP_VERSION, OdpsType.BIGINT));
        schema.addColumn(new Column(TunnelConstants.META_FIELD_OPERATION, OdpsType.TINYINT));
        schema.addColumn(
                new Column(
                        TunnelConstants.META_FIELD_KEY_COLS,
                        TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.BIGINT)));
        schema.addColumn(
                new Column(
                        TunnelConstants.META_FIELD_VALUE_COLS,
                        TypeInfoFactory.getArrayTypeInfo(TypeInfoFactory.BIGINT)));
        return schema;
    }

    private static int[] keyIndexes(ServerTable table) {
        List<Column> columns = table.schema().getColumns();
        List<String> primaryKey = table.primaryKey();
        int[] indexes = new int[primaryKey.size()];
        for (int k = 0; k < indexes.length; k++) {
            indexes[k] = -1;
            for (int i = 0; i < columns.size(); i++) {
                if (columns.get(i).getName().equalsIgnoreCase(primaryKey.get(k))) {
                    indexes[k] = i;
                }
            }
            if (indexes[k] < 0) {
                throw new IllegalStateException("No primary key column " + primaryKey.get(k));
            }
        }
        return indexes;
    }

    /** The SDK's routing: the combined hash of the key columns, modulo the bucket count. */
    private static int bucketOf(Record record, int[] keyIndexes, List<Column> columns) {
        List<Integer> hashes = new ArrayList<>();
        for (int index : keyIndexes) {
            Object value = record.get(index);
            Column column = columns.get(index);
            if (value == null) {
                throw ServerException.badRequest(
                        "InvalidArgument", "Primary key column " + column.getName() + " is null");
            }
            OdpsType type = column.getTypeInfo().getOdpsType();
            if (type == OdpsType.DECIMAL) {
                DecimalTypeInfo decimal = (DecimalTypeInfo) column.getTypeInfo();
                value =
                        new DecimalHashObject(
                                (BigDecimal) value, decimal.getPrecision(), decimal.getScale());
            }
            hashes.add(TypeHasher.hash(type, value, ServerUpsertSession.HASHER));
        }
        return TypeHasher.CombineHashVal(hashes) % ServerUpsertSession.BUCKETS;
    }

    /** Key values compared by content: strings arrive as bytes, decimals with any scale. */
    private static List<Object> key(Record row, int[] keyIndexes) {
        List<Object> key = new ArrayList<>(keyIndexes.length);
        for (int index : keyIndexes) {
            Object value = row.get(index);
            if (value instanceof byte[]) {
                value = new String((byte[]) value, StandardCharsets.UTF_8);
            } else if (value instanceof BigDecimal) {
                value = ((BigDecimal) value).stripTrailingZeros();
            }
            key.add(value);
        }
        return key;
    }
}
