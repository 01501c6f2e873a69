package org.flinkconnectors.lake.core;

import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.table.data.RowData;

import java.io.Closeable;
import java.io.IOException;
import java.util.Optional;

/**
 * Writes the rows of one sink subtask into data files of a table: rolls a file when it reaches the
 * target size, and at each checkpoint {@link #complete() completes} the open files and hands their
 * descriptions over for the commit. Not thread-safe; lives on a task manager.
 */
@PublicEvolving
public interface LakeDataWriter extends Closeable {

    /** Writes one row; the row may be reused by the caller after the call. */
    void write(RowData row) throws IOException;

    /**
     * Closes the open files and returns every file written since the last call, or empty if no row
     * was written since. Later rows go to new files.
     */
    Optional<LakeWriteResult> complete() throws IOException;

    /** Closes the open files and deletes what was written since the last {@link #complete()}. */
    @Override
    void close() throws IOException;
}
