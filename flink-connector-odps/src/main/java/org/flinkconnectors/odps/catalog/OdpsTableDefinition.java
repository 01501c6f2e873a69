package org.flinkconnectors.odps.catalog;

import org.apache.flink.annotation.Internal;

import com.aliyun.odps.TableSchema;

import javax.annotation.Nullable;

import java.util.List;

/**
 * What the catalog creates in MaxCompute for a Flink table: data and partition columns, primary key
 * (which makes it a transactional Delta table) and comment.
 */
@Internal
final class OdpsTableDefinition {

    private final TableSchema schema;
    private final List<String> primaryKey;
    @Nullable private final String comment;

    OdpsTableDefinition(TableSchema schema, List<String> primaryKey, @Nullable String comment) {
        this.schema = schema;
        this.primaryKey = List.copyOf(primaryKey);
        this.comment = comment;
    }

    TableSchema schema() {
        return schema;
    }

    List<String> primaryKey() {
        return primaryKey;
    }

    @Nullable
    String comment() {
        return comment;
    }
}
