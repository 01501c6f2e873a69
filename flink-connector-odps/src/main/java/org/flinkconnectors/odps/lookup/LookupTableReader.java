package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.odps.client.OdpsTableClient;
import org.flinkconnectors.odps.source.PartitionSelector;
import org.flinkconnectors.odps.source.reader.ProjectedColumns;
import org.flinkconnectors.odps.types.RecordToRowDataConverter;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.RowData;

import com.aliyun.odps.Partition;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.TableSchema;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;

import java.io.IOException;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Optional;

/**
 * One thread's access to a lookup table: which partitions to read now, download sessions on them,
 * row downloads with the projected columns, and the conversion of records into the lookup's rows.
 * Not thread-safe (the converter remembers the last partition); every loading thread and every
 * lookup function opens its own.
 */
@Internal
final class LookupTableReader {

    private final OdpsLookupTable table;
    private final OdpsTableClient client;
    private final boolean partitioned;
    private final ProjectedColumns columns;
    private final RecordToRowDataConverter converter;

    LookupTableReader(OdpsLookupTable table) throws IOException {
        this.table = table;
        this.client = new OdpsTableClient(table.connection(), table.table());
        TableSchema schema = loadSchema();
        this.partitioned = !schema.getPartitionColumns().isEmpty();
        try {
            this.columns =
                    ProjectedColumns.resolve(
                            schema, Optional.of(table.dataColumns()), client.tablePath());
            this.converter =
                    new RecordToRowDataConverter(
                            table.producedType(), schema, columns.readColumnNames());
        } catch (RuntimeException e) {
            throw new IOException(
                    "The lookup columns do not fit table "
                            + client.tablePath()
                            + ": "
                            + e.getMessage(),
                    e);
        }
    }

    /**
     * The partitions to read now, as the selector chooses among those that exist at this moment;
     * {@code [""]} for an unpartitioned table.
     */
    List<String> selectPartitions() throws IOException {
        if (!partitioned) {
            return List.of("");
        }
        List<String> specs = new ArrayList<>();
        for (Partition partition : client.partitions()) {
            specs.add(partition.getPartitionSpec().toString(false, true));
        }
        PartitionSelector selector = table.partitionSelector();
        List<String> selected =
                new ArrayList<>(
                        new LinkedHashSet<>(selector.select(Collections.unmodifiableList(specs))));
        for (String spec : selected) {
            if (!specs.contains(spec)) {
                throw new IOException(
                        String.format(
                                "The partition selector %s chose partition '%s', which table %s"
                                        + " does not have.",
                                selector, spec, client.tablePath()));
            }
        }
        return selected;
    }

    TableTunnel.DownloadSession createSession(String spec) throws IOException {
        return client.createDownloadSession(spec);
    }

    TableTunnel.DownloadSession attachSession(String spec, String sessionId) throws IOException {
        return client.getDownloadSession(spec, sessionId);
    }

    /** Opens the download of rows {@code [start, start + count)} with the projected columns. */
    TunnelRecordReader openRows(TableTunnel.DownloadSession session, long start, long count)
            throws IOException {
        return client.call(
                String.format(
                        "open the download of rows [%d,%d) of session %s",
                        start, start + count, session.getId()),
                () -> session.openRecordReader(start, count, true, columns.tunnelColumns()));
    }

    RowData convert(Record record, PartitionSpec partition) {
        return converter.convert(record, partition);
    }

    String describe(String spec) {
        return client.describe(spec);
    }

    String tablePath() {
        return client.tablePath();
    }

    private TableSchema loadSchema() throws IOException {
        try {
            return client.schema();
        } catch (IOException e) {
            if (OdpsTableClient.isNotFound(e)) {
                throw new IOException(
                        "MaxCompute table "
                                + client.tablePath()
                                + " of the lookup join does not exist.",
                        e);
            }
            throw e;
        }
    }
}
