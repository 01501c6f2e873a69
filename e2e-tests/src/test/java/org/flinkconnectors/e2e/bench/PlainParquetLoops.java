package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;

import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;

import org.apache.iceberg.AppendFiles;
import org.apache.iceberg.DataFile;
import org.apache.iceberg.FileScanTask;
import org.apache.iceberg.PartitionSpec;
import org.apache.iceberg.Schema;
import org.apache.iceberg.Table;
import org.apache.iceberg.flink.data.FlinkParquetReaders;
import org.apache.iceberg.flink.data.FlinkParquetWriters;
import org.apache.iceberg.io.CloseableIterable;
import org.apache.iceberg.io.DataWriter;
import org.apache.iceberg.parquet.Parquet;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;

import static org.flinkconnectors.e2e.bench.BenchSupport.processCpuNanos;

/**
 * The physical limit of one reader or writer, without Flink: loops over Iceberg's Parquet readers
 * and writers for Flink {@link RowData}, the very ones all Flink variants of the benchmark use
 * underneath. The read loop reads the data files of the table's current snapshot one after the
 * other; the write loop writes a file, rolls it every {@code commitIntervalNanos} and appends it to
 * the table then, as the exactly-once sinks do at every checkpoint.
 */
final class PlainParquetLoops {

    private PlainParquetLoops() {}

    /**
     * Reads every data file of the table's current snapshot, timed from the first row to the last
     * like the Flink jobs; bytes are the files' sizes.
     */
    static Result read(Table table) throws IOException {
        return read(table, table.schema());
    }

    /** Reads the projected columns of every data file, as {@link #read(Table)}. */
    static Result read(Table table, Schema projection) throws IOException {
        List<DataFile> files = dataFiles(table);
        long start = 0;
        long last = 0;
        long startCpu = 0;
        long lastCpu = 0;
        long records = 0;
        long idSum = 0;
        for (DataFile file : files) {
            try (CloseableIterable<RowData> rows =
                    Parquet.read(table.io().newInputFile(file.location()))
                            .project(projection)
                            .createReaderFunc(
                                    fileType ->
                                            FlinkParquetReaders.buildReader(projection, fileType))
                            .reuseContainers()
                            .build()) {
                for (RowData row : rows) {
                    if (records++ == 0) {
                        start = System.nanoTime();
                        startCpu = processCpuNanos();
                    }
                    // Touch a value, as a Flink operator downstream would.
                    idSum += row.getLong(0);
                }
            }
            last = System.nanoTime();
            lastCpu = processCpuNanos();
        }
        long nanos = last - start;
        if (idSum < 0) {
            throw new IllegalStateException("Negative ids read.");
        }
        return new Result(records, totalSize(files), nanos, lastCpu - startCpu);
    }

    /**
     * Writes rows {@code 0..rows-1}, committing one file every {@code commitIntervalNanos} and the
     * rest at the end; bytes are the sizes of the files written.
     */
    static Result write(Table table, long rows, long commitIntervalNanos) throws IOException {
        GenericRowData row = LakeBenchRows.newRow();
        long start = System.nanoTime();
        long bytes = 0;
        long nextCommit = start + commitIntervalNanos;
        DataWriter<RowData> writer = newWriter(table);
        for (long i = 0; i < rows; i++) {
            writer.write(LakeBenchRows.fill(row, i));
            // Reading the clock every row would cost more than some writers spend on a row.
            if ((i & 1023) == 1023 && System.nanoTime() >= nextCommit) {
                bytes += commit(table, writer);
                writer = newWriter(table);
                nextCommit = System.nanoTime() + commitIntervalNanos;
            }
        }
        bytes += commit(table, writer);
        return new Result(rows, bytes, System.nanoTime() - start);
    }

    /** Writes {@code rows} rows into {@code files} files, appended in one snapshot. */
    static void fill(Table table, long rows, int files) throws IOException {
        GenericRowData row = LakeBenchRows.newRow();
        AppendFiles append = table.newAppend();
        for (int f = 0; f < files; f++) {
            DataWriter<RowData> writer = newWriter(table);
            try (writer) {
                for (long i = rows * f / files; i < rows * (f + 1) / files; i++) {
                    writer.write(LakeBenchRows.fill(row, i));
                }
            }
            append.appendFile(writer.toDataFile());
        }
        append.commit();
    }

    static List<DataFile> dataFiles(Table table) throws IOException {
        List<DataFile> files = new ArrayList<>();
        try (CloseableIterable<FileScanTask> tasks = table.newScan().planFiles()) {
            tasks.forEach(task -> files.add(task.file()));
        }
        return files;
    }

    static long totalSize(List<DataFile> files) {
        return files.stream().mapToLong(DataFile::fileSizeInBytes).sum();
    }

    private static long commit(Table table, DataWriter<RowData> writer) throws IOException {
        writer.close();
        DataFile file = writer.toDataFile();
        table.newAppend().appendFile(file).commit();
        return file.fileSizeInBytes();
    }

    private static DataWriter<RowData> newWriter(Table table) throws IOException {
        String location = table.locationProvider().newDataLocation(UUID.randomUUID() + ".parquet");
        return Parquet.writeData(table.io().newOutputFile(location))
                .forTable(table)
                .withSpec(PartitionSpec.unpartitioned())
                .createWriterFunc(
                        fileType ->
                                FlinkParquetWriters.buildWriter(LakeBenchRows.ROW_TYPE, fileType))
                .build();
    }
}
