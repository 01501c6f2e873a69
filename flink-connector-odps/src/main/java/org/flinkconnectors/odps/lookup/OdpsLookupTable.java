package org.flinkconnectors.odps.lookup;

import org.flinkconnectors.base.retry.Retrier;
import org.flinkconnectors.base.retry.RetryPolicy;
import org.flinkconnectors.odps.client.OdpsConnectionConfig;
import org.flinkconnectors.odps.source.PartitionSelector;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.types.logical.RowType;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.io.Serializable;
import java.time.Duration;
import java.util.List;

/**
 * What a lookup reads from MaxCompute: the table, the partitions (chosen anew at every load or
 * scan, so that {@code max_pt()} follows the newest partition), the projected row and the data
 * columns to download for it. Immutable and serializable; each task opens its own {@link
 * LookupTableReader} from it.
 */
@Internal
public final class OdpsLookupTable implements Serializable {

    private static final long serialVersionUID = 1L;
    private static final Duration MAX_BACKOFF = Duration.ofSeconds(30);

    private final OdpsConnectionConfig connection;
    private final String table;
    private final PartitionSelector partitionSelector;
    private final RowType producedType;
    private final List<String> dataColumns;
    private final long splitRows;
    private final int maxRetries;

    /**
     * @param producedType the row a lookup yields: data and partition columns in any order
     * @param dataColumns the data columns to download for it (at least one: the tunnel cannot
     *     download none)
     * @param splitRows rows per split of a full cache load
     * @param maxRetries {@code lookup.max-retries}
     */
    public OdpsLookupTable(
            OdpsConnectionConfig connection,
            String table,
            PartitionSelector partitionSelector,
            RowType producedType,
            List<String> dataColumns,
            long splitRows,
            int maxRetries) {
        this.connection = connection;
        this.table = table;
        this.partitionSelector = partitionSelector;
        this.producedType = producedType;
        this.dataColumns = List.copyOf(dataColumns);
        this.splitRows = splitRows;
        this.maxRetries = maxRetries;
    }

    /** Connects, loads the schema and resolves the projection. */
    LookupTableReader openReader() throws IOException {
        return new LookupTableReader(this);
    }

    /**
     * Runs a whole load or scan with {@code lookup.max-retries} retries of any failure, on top of
     * the client's own retries of single requests: a new attempt opens new download sessions, which
     * also gets past a session that expired or a partition that was replaced meanwhile.
     */
    <T> T withRetries(String description, Retrier.Action<T> action) throws IOException {
        Duration backoff = connection.retryBackoff();
        Duration maxBackoff = backoff.compareTo(MAX_BACKOFF) > 0 ? backoff : MAX_BACKOFF;
        Retrier retrier =
                new Retrier(RetryPolicy.of(maxRetries + 1, backoff, maxBackoff), e -> true);
        try {
            return retrier.call(description, action);
        } catch (IOException e) {
            throw e;
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new InterruptedIOException("Interrupted while trying to " + description);
        } catch (Exception e) {
            throw new IOException(e.getMessage(), e);
        }
    }

    OdpsConnectionConfig connection() {
        return connection;
    }

    String table() {
        return table;
    }

    PartitionSelector partitionSelector() {
        return partitionSelector;
    }

    RowType producedType() {
        return producedType;
    }

    List<String> dataColumns() {
        return dataColumns;
    }

    long splitRows() {
        return splitRows;
    }

    int maxRetries() {
        return maxRetries;
    }

    @Override
    public String toString() {
        return connection.project()
                + connection.schema().map(s -> "." + s).orElse("")
                + "."
                + table
                + " "
                + producedType.getFieldNames()
                + (partitionSelector instanceof PartitionSelector.AllPartitions
                        ? ""
                        : " (" + partitionSelector + ")");
    }
}
