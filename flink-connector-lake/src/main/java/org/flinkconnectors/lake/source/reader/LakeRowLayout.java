package org.flinkconnectors.lake.source.reader;

import org.flinkconnectors.lake.core.LakeSplit;
import org.flinkconnectors.lake.source.LakeMetadataColumn;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.utils.JoinedRowData;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;
import java.util.ArrayList;
import java.util.List;

/**
 * The shape of an emitted row: the columns the format reads, then the requested {@link
 * LakeMetadataColumn metadata columns}. A query that needs metadata only still has the format read
 * one column (formats cannot read none); its value is then dropped here.
 */
@Internal
public final class LakeRowLayout implements Serializable {

    private static final long serialVersionUID = 1L;

    private static final GenericRowData NO_COLUMNS = new GenericRowData(0);

    private final RowType readType;
    private final List<LakeMetadataColumn> metadata;
    private final boolean keepReadColumns;
    private final RowType outputType;

    public LakeRowLayout(
            RowType readType, List<LakeMetadataColumn> metadata, boolean keepReadColumns) {
        if (!keepReadColumns && metadata.isEmpty()) {
            throw new IllegalArgumentException("Rows without read columns need metadata columns.");
        }
        this.readType = readType;
        this.metadata = List.copyOf(metadata);
        this.keepReadColumns = keepReadColumns;
        List<RowType.RowField> fields =
                new ArrayList<>(keepReadColumns ? readType.getFields() : List.of());
        for (LakeMetadataColumn column : metadata) {
            fields.add(new RowType.RowField(column.name().toLowerCase(), column.type()));
        }
        this.outputType = new RowType(false, fields);
    }

    /** The read rows as they are. */
    public static LakeRowLayout of(RowType readType) {
        return new LakeRowLayout(readType, List.of(), true);
    }

    public RowType readType() {
        return readType;
    }

    /** The type of the emitted rows. */
    public RowType outputType() {
        return outputType;
    }

    public boolean hasMetadata() {
        return !metadata.isEmpty();
    }

    /** The metadata values of the split's rows. */
    RowData metadataOf(LakeSplit split) {
        GenericRowData values = new GenericRowData(metadata.size());
        for (int i = 0; i < metadata.size(); i++) {
            values.setField(i, metadata.get(i).valueOf(split));
        }
        return values;
    }

    /** The emitted row of a read row and its split's metadata: a view over both. */
    RowData assemble(RowData read, RowData splitMetadata) {
        JoinedRowData joined =
                new JoinedRowData(keepReadColumns ? read : NO_COLUMNS, splitMetadata);
        // A changelog read's rows carry their kind (a deleted row is a DELETE).
        joined.setRowKind(read.getRowKind());
        return joined;
    }
}
