package org.flinkconnectors.odps.testutils;

import com.aliyun.odps.Column;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.google.gson.JsonArray;
import com.google.gson.JsonObject;

import java.util.List;
import java.util.Locale;

/** What the tunnel sessions share on the wire: the schema JSON and the body compressions. */
final class TunnelFormats {

    private TunnelFormats() {}

    static JsonObject schemaJson(TableSchema schema) {
        JsonObject json = new JsonObject();
        json.add("columns", columnsJson(schema.getColumns()));
        json.add("partitionKeys", columnsJson(schema.getPartitionColumns()));
        return json;
    }

    private static JsonArray columnsJson(List<Column> columns) {
        JsonArray array = new JsonArray();
        for (Column column : columns) {
            JsonObject json = new JsonObject();
            json.addProperty("name", column.getName());
            json.addProperty("type", column.getTypeInfo().getTypeName());
            json.addProperty("nullable", String.valueOf(column.isNullable()));
            json.addProperty("comment", column.getComment() == null ? "" : column.getComment());
            array.add(json);
        }
        return array;
    }

    static CompressOption compression(String encoding) {
        if (encoding == null) {
            return new CompressOption(CompressOption.CompressAlgorithm.ODPS_RAW, 0, 0);
        }
        switch (encoding.toLowerCase(Locale.ROOT)) {
            case "deflate":
                return new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZLIB, -1, 0);
            case "x-snappy-framed":
                return new CompressOption(CompressOption.CompressAlgorithm.ODPS_SNAPPY, -1, 0);
            case "x-lz4-frame":
                return new CompressOption(CompressOption.CompressAlgorithm.ODPS_LZ4_FRAME, -1, 0);
            case "zstd":
                return new CompressOption(CompressOption.CompressAlgorithm.ODPS_ZSTD, -1, 0);
            default:
                throw ServerException.badRequest(
                        "InvalidArgument", "Unsupported encoding " + encoding);
        }
    }
}
