package org.flinkconnectors.e2e.bench;

import org.flinkconnectors.e2e.bench.BenchSupport.Result;
import org.flinkconnectors.odps.testutils.OdpsTestServer;

import com.aliyun.odps.Odps;
import com.aliyun.odps.PartitionSpec;
import com.aliyun.odps.Table;
import com.aliyun.odps.data.Record;
import com.aliyun.odps.task.SQLTask;
import com.aliyun.odps.tunnel.TableTunnel;
import com.aliyun.odps.tunnel.io.CompressOption;
import com.aliyun.odps.tunnel.io.TunnelBufferedWriter;
import com.aliyun.odps.tunnel.io.TunnelRecordReader;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.List;

import static org.flinkconnectors.e2e.bench.BenchSupport.processCpuNanos;

/**
 * The baseline: what one thread does with the plain ODPS SDK, no Flink. It reads a table with one
 * tunnel download per partition and writes one with one upload session per partition and commit
 * interval, the way our source and sink use the tunnel, so the gap to them is the connector's and
 * Flink's own cost.
 */
final class RawTunnelLoops {

    private final Odps odps;
    private final TableTunnel tunnel;
    private final String project = OdpsTestServer.DEFAULT_PROJECT;

    /** Keeps the values the read loop folded, so that the JIT cannot drop them. */
    private long checksum;

    RawTunnelLoops(OdpsServerProcess server) {
        this.odps = server.newOdps();
        this.tunnel = server.newTableTunnel(odps);
    }

    /**
     * Creates the partitioned orders table of {@code columns} data columns with SQL DDL, run as an
     * SDK instance.
     */
    void createTable(String table, int columns) throws Exception {
        SQLTask.run(odps, "CREATE TABLE " + table + " " + BenchOrders.sqlDdlColumns(columns) + ";")
                .waitForSuccess();
    }

    /** The rows committed to the table, over every partition, as tunnel downloads count them. */
    long committedRows(String table) throws Exception {
        long rows = 0;
        for (String spec : BenchOrders.PARTITIONS) {
            rows +=
                    tunnel.createDownloadSession(project, table, new PartitionSpec(spec))
                            .getRecordCount();
        }
        return rows;
    }

    /**
     * Reads every row of every partition into an {@link BenchOrders.Order}, from the first row to
     * the last, like the Flink variants. The sessions are created first, as our enumerator does.
     */
    Result read(String table) throws Exception {
        List<TableTunnel.DownloadSession> sessions = new ArrayList<>();
        for (String spec : BenchOrders.PARTITIONS) {
            sessions.add(tunnel.createDownloadSession(project, table, new PartitionSpec(spec)));
        }
        long count = 0;
        long bytes = 0;
        long start = 0;
        long last = 0;
        long startCpu = 0;
        long lastCpu = 0;
        for (int p = 0; p < sessions.size(); p++) {
            TableTunnel.DownloadSession session = sessions.get(p);
            String spec = BenchOrders.PARTITIONS.get(p);
            try (TunnelRecordReader reader =
                    session.openRecordReader(0, session.getRecordCount(), true)) {
                Record record = null;
                while ((record = reader.read(record)) != null) {
                    if (count++ == 0) {
                        start = System.nanoTime();
                        startCpu = processCpuNanos();
                    }
                    checksum += BenchOrders.Order.of(record, spec).checksum();
                }
                last = System.nanoTime();
                lastCpu = processCpuNanos();
                bytes += reader.getTotalBytes();
            }
        }
        return new Result(count, bytes, last - start, lastCpu - startCpu);
    }

    /**
     * Writes generated rows {@code [0, rows)}, each into its partition: one upload session per
     * partition, 8 MiB blocks, and every {@code commitIntervalNanos} all sessions are committed and
     * new ones opened, as our exactly-once sink does at each checkpoint. Includes creating the
     * partitions and the last commit. The bytes are those on the wire.
     */
    Result write(
            String table, long rows, long commitIntervalNanos, @Nullable CompressOption compress)
            throws Exception {
        long start = System.nanoTime();
        Table target = odps.tables().get(project, table);
        for (String spec : BenchOrders.PARTITIONS) {
            PartitionSpec partition = new PartitionSpec(spec);
            if (!target.hasPartition(partition)) {
                target.createPartition(partition, true);
            }
        }
        Uploads uploads = new Uploads(table, compress);
        long bytes = 0;
        long lastCommit = System.nanoTime();
        for (long i = 0; i < rows; i++) {
            int p = (int) (i % BenchOrders.PARTITIONS.size());
            // Every column is set for every row, so one record per partition serves all rows.
            BenchOrders.fill(uploads.records[p], i);
            uploads.writers[p].write(uploads.records[p]);
            if ((i & 0xff) == 0 && System.nanoTime() - lastCommit > commitIntervalNanos) {
                bytes += uploads.commit();
                uploads = new Uploads(table, compress);
                lastCommit = System.nanoTime();
            }
        }
        bytes += uploads.commit();
        return new Result(rows, bytes, System.nanoTime() - start);
    }

    /** One upload session, buffered writer and reusable record per partition. */
    private final class Uploads {
        final TableTunnel.UploadSession[] sessions;
        final TunnelBufferedWriter[] writers;
        final Record[] records;

        Uploads(String table, @Nullable CompressOption compress) throws Exception {
            int n = BenchOrders.PARTITIONS.size();
            sessions = new TableTunnel.UploadSession[n];
            writers = new TunnelBufferedWriter[n];
            records = new Record[n];
            for (int p = 0; p < n; p++) {
                PartitionSpec spec = new PartitionSpec(BenchOrders.PARTITIONS.get(p));
                sessions[p] = tunnel.createUploadSession(project, table, spec);
                writers[p] =
                        (TunnelBufferedWriter)
                                (compress == null
                                        ? sessions[p].openBufferedWriter(false)
                                        : sessions[p].openBufferedWriter(compress));
                // Our sink's block size.
                writers[p].setBufferSize(8L << 20);
                records[p] = sessions[p].newRecord();
            }
        }

        /** Uploads the buffered rows and commits every session; returns the bytes sent. */
        long commit() throws Exception {
            long bytes = 0;
            for (int p = 0; p < sessions.length; p++) {
                writers[p].close();
                bytes += writers[p].getTotalBytes();
                sessions[p].commit();
            }
            return bytes;
        }
    }
}
