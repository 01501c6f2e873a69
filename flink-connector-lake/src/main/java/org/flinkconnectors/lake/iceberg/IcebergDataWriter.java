package org.flinkconnectors.lake.iceberg;

import org.flinkconnectors.lake.core.LakeDataWriter;
import org.flinkconnectors.lake.core.LakeWriteResult;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import org.apache.iceberg.ContentFile;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.flink.sink.TaskWriterFactory;
import org.apache.iceberg.io.TaskWriter;
import org.apache.iceberg.io.WriteResult;

import java.io.IOException;
import java.util.Arrays;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Stream;

/**
 * Writes rows with one of Iceberg's task writers at a time: it rolls files at the target size and,
 * for a partitioned table, keeps one open file per partition (fan-out, so input need not be
 * clustered). For an upserting table the task writer also writes delete files: equality deletes for
 * keys of earlier commits, position deletes for keys this writer wrote itself. {@link #complete()}
 * closes the task writer; the next row opens a new one.
 */
@Internal
final class IcebergDataWriter implements LakeDataWriter {

    private final TaskWriterFactory<RowData> taskWriters;
    private final Map<Integer, PartitionSpec> specs;
    private TaskWriter<RowData> current;

    IcebergDataWriter(TaskWriterFactory<RowData> taskWriters, Map<Integer, PartitionSpec> specs) {
        this.taskWriters = taskWriters;
        this.specs = specs;
    }

    @Override
    public void write(RowData row) throws IOException {
        if (current == null) {
            current = taskWriters.create();
        }
        current.write(row);
    }

    @Override
    public Optional<LakeWriteResult> complete() throws IOException {
        if (current == null) {
            return Optional.empty();
        }
        TaskWriter<RowData> writer = current;
        current = null;
        WriteResult result = writer.complete();
        IcebergDataFiles.Written written =
                new IcebergDataFiles.Written(
                        Arrays.asList(result.dataFiles()),
                        Arrays.asList(result.deleteFiles()),
                        Arrays.stream(result.referencedDataFiles())
                                .map(CharSequence::toString)
                                .toList());
        long records = files(written).mapToLong(ContentFile::recordCount).sum();
        long bytes = files(written).mapToLong(ContentFile::fileSizeInBytes).sum();
        return Optional.of(
                new LakeWriteResult(
                        written.fileCount(),
                        records,
                        bytes,
                        IcebergDataFiles.encode(written, specs)));
    }

    private static Stream<ContentFile<?>> files(IcebergDataFiles.Written written) {
        return Stream.concat(written.dataFiles().stream(), written.deleteFiles().stream());
    }

    @Override
    public void close() throws IOException {
        if (current != null) {
            // Files of an unfinished checkpoint are never committed; delete them now.
            TaskWriter<RowData> writer = current;
            current = null;
            writer.abort();
        }
    }
}
