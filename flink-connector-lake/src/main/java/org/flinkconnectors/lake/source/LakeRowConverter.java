package org.flinkconnectors.lake.source;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.runtime.typeutils.InternalTypeInfo;
import org.apache.flink.table.types.logical.RowType;

import java.io.Serializable;

/**
 * Turns the rows a {@link LakeSource} reads into the elements it emits, for DataStream jobs that
 * want their own types. Runs in the fetcher thread; the row it gets is a private copy it may keep.
 *
 * @param <T> the type of the emitted elements
 */
@PublicEvolving
public interface LakeRowConverter<T> extends Serializable {

    /** Converts one row of the source's produced row type. */
    T convert(RowData row);

    /** The type information of the elements, given the produced row type. */
    TypeInformation<T> producedType(RowType rowType);

    /** Emits the rows themselves, Flink's internal table format. */
    static LakeRowConverter<RowData> rowData() {
        return RowDataPassThrough.INSTANCE;
    }

    /** The identity converter; a singleton so sources compare equal. */
    enum RowDataPassThrough implements LakeRowConverter<RowData> {
        INSTANCE;

        @Override
        public RowData convert(RowData row) {
            return row;
        }

        @Override
        public TypeInformation<RowData> producedType(RowType rowType) {
            return InternalTypeInfo.of(rowType);
        }
    }
}
