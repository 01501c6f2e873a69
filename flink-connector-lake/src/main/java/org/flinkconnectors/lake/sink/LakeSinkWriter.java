package org.flinkconnectors.lake.sink;

import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.sink2.CommittingSinkWriter;
import org.apache.flink.metrics.Counter;
import org.apache.flink.table.data.RowData;

import java.io.IOException;
import java.util.Collection;
import java.util.List;
import java.util.Optional;

/**
 * One sink subtask: writes rows through the format's {@link LakeDataWriter} and, before each
 * checkpoint barrier (and at the end of the input), hands the completed files on as a {@link
 * LakeWriteResult}. It keeps no state: files not yet committed at a failure are written again from
 * the replayed input, and the orphans of the failed attempt are never committed.
 */
@Internal
final class LakeSinkWriter implements CommittingSinkWriter<RowData, LakeWriteResult> {

    private final LakeDataWriter writer;
    private final Counter recordsSent;
    private final Counter bytesSent;

    LakeSinkWriter(LakeDataWriter writer, Counter recordsSent, Counter bytesSent) {
        this.writer = writer;
        this.recordsSent = recordsSent;
        this.bytesSent = bytesSent;
    }

    @Override
    public void write(RowData row, Context context) throws IOException {
        writer.write(row);
        recordsSent.inc();
    }

    @Override
    public void flush(boolean endOfInput) {
        // Files are completed in prepareCommit, which follows every flush.
    }

    @Override
    public Collection<LakeWriteResult> prepareCommit() throws IOException {
        Optional<LakeWriteResult> result = writer.complete();
        // A file's size is known once it is closed: bytes count when the files complete.
        result.ifPresent(files -> bytesSent.inc(files.byteCount()));
        return result.map(List::of).orElse(List.of());
    }

    @Override
    public void close() throws IOException {
        writer.close();
    }
}
