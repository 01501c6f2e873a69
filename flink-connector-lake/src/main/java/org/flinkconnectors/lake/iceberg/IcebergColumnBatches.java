package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeColumnBatch;
import org.flinkconnectors.lake.parquet.ParquetColumn;
import org.flinkconnectors.lake.parquet.ParquetColumnBatches;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;
import org.apache.flink.util.CloseableIterator;

import org.apache.iceberg.FileContent;
import org.apache.iceberg.FileFormat;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.expressions.Expression;
import org.apache.iceberg.expressions.Expressions;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.FlinkSourceFilter;
import org.apache.iceberg.flink.data.RowDataUtil;
import org.apache.iceberg.mapping.MappedField;
import org.apache.iceberg.mapping.NameMapping;
import org.apache.iceberg.types.Type;
import org.apache.iceberg.types.Types;
import org.apache.iceberg.util.PartitionUtil;
import org.apache.parquet.schema.MessageType;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.LongPredicate;
import java.util.function.Predicate;

/**
 * Reads an Iceberg Parquet data file without delete files into column batches, as Iceberg's row
 * reader would read it: file columns found by field id (or by the table's name mapping for files
 * written without ids), identity partition values and column defaults as constants, the same row
 * filters. Other files (ORC, Avro, encrypted, with deletes) and projections with types the vectors
 * do not read exactly (nested, time, fixed, uuid) stay on the row path.
 */
@Internal
final class IcebergColumnBatches {

    private static final Set<Type.TypeID> VECTOR_TYPES =
            Set.of(
                    Type.TypeID.BOOLEAN,
                    Type.TypeID.INTEGER,
                    Type.TypeID.LONG,
                    Type.TypeID.FLOAT,
                    Type.TypeID.DOUBLE,
                    Type.TypeID.DATE,
                    Type.TypeID.DECIMAL,
                    Type.TypeID.STRING,
                    Type.TypeID.BINARY,
                    Type.TypeID.TIMESTAMP);

    private IcebergColumnBatches() {}

    /** Whether every projected column has a type the vectors read exactly. */
    static boolean supports(Schema projected) {
        return projected.columns().stream().allMatch(f -> VECTOR_TYPES.contains(f.type().typeId()));
    }

    /** The task's rows as column batches, or empty when the task is read row by row. */
    static Optional<CloseableIterator<LakeColumnBatch>> open(
            FileScanTask task,
            Table table,
            Schema tableSchema,
            Schema projected,
            @Nullable NameMapping nameMapping,
            List<Expression> rowFilters,
            long recordsToSkip,
            int batchSize)
            throws IOException {
        if (task.file().format() != FileFormat.PARQUET
                || task.deletes().stream()
                        .anyMatch(d -> d.content() != FileContent.POSITION_DELETES)
                || task.file().keyMetadata() != null
                || !supports(projected)) {
            return Optional.empty();
        }
        Map<Integer, ?> constants = PartitionUtil.constantsMap(task, RowDataUtil::convertConstant);
        return ParquetColumnBatches.open(
                new IcebergParquetInputFile(table.io().newInputFile(task.file().location())),
                task.start(),
                task.length(),
                FlinkSchemaUtil.convert(projected),
                fileSchema -> columns(projected, fileSchema, constants, nameMapping),
                deletedPositions(task, table, tableSchema, projected),
                keep(projected, rowFilters),
                recordsToSkip,
                batchSize);
    }

    private static Optional<List<ParquetColumn>> columns(
            Schema projected,
            MessageType fileSchema,
            Map<Integer, ?> constants,
            @Nullable NameMapping nameMapping) {
        Optional<Map<Integer, String>> fileColumns = fileColumnsById(fileSchema, nameMapping);
        if (fileColumns.isEmpty()) {
            return Optional.empty();
        }
        List<ParquetColumn> columns = new ArrayList<>();
        for (Types.NestedField field : projected.columns()) {
            String fileColumn = fileColumns.get().get(field.fieldId());
            if (constants.containsKey(field.fieldId())) {
                columns.add(ParquetColumn.constant(constants.get(field.fieldId())));
            } else if (fileColumn != null) {
                columns.add(ParquetColumn.fileColumn(fileColumn));
            } else if (field.initialDefault() != null) {
                columns.add(
                        ParquetColumn.constant(
                                RowDataUtil.convertConstant(field.type(), field.initialDefault())));
            } else if (field.isOptional()) {
                columns.add(ParquetColumn.constant(null));
            } else {
                // Iceberg's reader reports the missing required column.
                return Optional.empty();
            }
        }
        return Optional.of(columns);
    }

    /**
     * The field ids of the file's top-level columns: written in the file, or else from the table's
     * name mapping. Files with neither stay with Iceberg's reader and its fallback rules.
     */
    private static Optional<Map<Integer, String>> fileColumnsById(
            MessageType fileSchema, @Nullable NameMapping nameMapping) {
        Map<Integer, String> byId = new HashMap<>();
        boolean withIds = fileSchema.getFields().stream().anyMatch(f -> f.getId() != null);
        for (org.apache.parquet.schema.Type field : fileSchema.getFields()) {
            if (withIds) {
                if (field.getId() != null) {
                    byId.put(field.getId().intValue(), field.getName());
                }
            } else if (nameMapping != null) {
                MappedField mapped = nameMapping.find(field.getName());
                if (mapped != null && mapped.id() != null) {
                    byId.put(mapped.id(), field.getName());
                }
            }
        }
        return withIds || nameMapping != null ? Optional.of(byId) : Optional.empty();
    }

    @Nullable
    private static LongPredicate deletedPositions(
            FileScanTask task, Table table, Schema tableSchema, Schema projected) {
        if (task.deletes().isEmpty()) {
            return null;
        }
        PositionDeleteIndex positions =
                new IcebergDeletedRowFilter(
                                task.file().location(),
                                task.deletes(),
                                tableSchema,
                                projected,
                                IcebergDeleteFiles.opener(table))
                        .deletedRowPositions();
        return positions == null || positions.isEmpty() ? null : positions::isDeleted;
    }

    /** Iceberg's own row filter, on the projected rows, as its row reader applies it. */
    @Nullable
    private static Predicate<RowData> keep(Schema projected, List<Expression> rowFilters) {
        if (rowFilters.isEmpty()) {
            return null;
        }
        FlinkSourceFilter filter =
                new FlinkSourceFilter(
                        projected,
                        rowFilters.stream().reduce(Expressions.alwaysTrue(), Expressions::and),
                        true);
        return filter::filter;
    }
}
