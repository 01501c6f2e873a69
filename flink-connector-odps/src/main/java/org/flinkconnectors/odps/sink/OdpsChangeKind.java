package org.flinkconnectors.odps.sink;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.types.RowKind;

/**
 * What an element does to the row of its primary key in an upsert sink ({@link
 * OdpsSinkBuilder#setUpsert}). Insert-only sinks append every element and never ask.
 */
@PublicEvolving
public enum OdpsChangeKind {
    /** Insert the row, or replace the row with the same key. */
    UPSERT,
    /** Delete the row with the element's key (only the key and partition columns matter). */
    DELETE,
    /** Skip the element, e.g. the retraction half of an update. */
    IGNORE;

    /**
     * The change of a Flink changelog row: inserts and update-afters upsert, deletes delete, and
     * update-befores are skipped because the update-after that follows replaces the row anyway.
     */
    public static OdpsChangeKind of(RowKind kind) {
        switch (kind) {
            case INSERT:
            case UPDATE_AFTER:
                return UPSERT;
            case DELETE:
                return DELETE;
            default:
                return IGNORE;
        }
    }
}
