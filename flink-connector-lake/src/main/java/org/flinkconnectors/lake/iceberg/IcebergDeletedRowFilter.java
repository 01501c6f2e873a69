package org.flinkconnectors.lake.iceberg;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import org.apache.iceberg.DeleteFile;
import org.apache.iceberg.Schema;
import org.apache.iceberg.StructLike;
import org.apache.iceberg.data.DeleteFilter;
import org.apache.iceberg.deletes.PositionDeleteIndex;
import org.apache.iceberg.flink.FlinkSchemaUtil;
import org.apache.iceberg.flink.RowDataWrapper;
import org.apache.iceberg.io.InputFile;

import java.util.List;
import java.util.function.Function;
import java.util.function.Predicate;

/**
 * Tells which rows of one data file a set of delete files deletes, the inverse of what Iceberg's
 * readers do with them. Rows must be read with {@link #requiredSchema()}, which adds the row
 * position (for position deletes and deletion vectors) and the equality key columns to the
 * requested ones.
 */
@Internal
final class IcebergDeletedRowFilter extends DeleteFilter<RowData> {

    private final Function<DeleteFile, InputFile> inputFiles;
    private final RowDataWrapper wrapper;

    IcebergDeletedRowFilter(
            String dataFileLocation,
            List<DeleteFile> deletes,
            Schema tableSchema,
            Schema requested,
            Function<DeleteFile, InputFile> inputFiles) {
        super(dataFileLocation, deletes, tableSchema, requested);
        this.inputFiles = inputFiles;
        this.wrapper =
                new RowDataWrapper(
                        FlinkSchemaUtil.convert(requiredSchema()), requiredSchema().asStruct());
    }

    /** A predicate that is true for the rows the delete files delete. */
    Predicate<RowData> deleted() {
        PositionDeleteIndex positions = deletedRowPositions();
        Predicate<RowData> notEqualityDeleted = eqDeletedRowFilter();
        boolean equality = hasEqDeletes();
        return row ->
                (positions != null && positions.isDeleted(pos(row)))
                        || (equality && !notEqualityDeleted.test(row));
    }

    @Override
    protected StructLike asStructLike(RowData row) {
        return wrapper.wrap(row);
    }

    @Override
    protected InputFile loadInputFile(DeleteFile deleteFile) {
        return inputFiles.apply(deleteFile);
    }

    @Override
    protected InputFile getInputFile(String location) {
        throw new UnsupportedOperationException(
                "Delete files are opened with their key metadata, not by location: " + location);
    }
}
