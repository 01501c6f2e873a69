package org.flinkconnectors.lake.testutils;

import org.flinkconnectors.lake.source.LakeRowConverter;

import org.apache.flink.api.common.functions.MapFunction;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.common.typeinfo.Types;
import org.apache.flink.api.connector.sink2.Sink;
import org.apache.flink.api.connector.sink2.SinkWriter;
import org.apache.flink.api.connector.sink2.WriterInitContext;
import org.apache.flink.core.testutils.CommonTestUtils;
import org.apache.flink.shaded.guava33.com.google.common.util.concurrent.RateLimiter;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.types.logical.RowType;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;

/**
 * The {@code id}s a MiniCluster job read from a table of {@link IcebergTestTables#SCHEMA},
 * collected in this JVM: a converter to the id, a sink that collects it, and an optional throttle
 * that keeps a job busy long enough to be stopped mid-file. One job collects at a time; tests run
 * one by one.
 */
public final class CollectedIds {

    private static final Queue<Long> IDS = new ConcurrentLinkedQueue<>();

    private CollectedIds() {}

    public static void clear() {
        IDS.clear();
    }

    /** The ids collected so far, in arrival order. */
    public static List<Long> snapshot() {
        return new ArrayList<>(IDS);
    }

    public static int size() {
        return IDS.size();
    }

    /** Waits up to a minute until at least {@code count} ids arrived. */
    public static void await(int count) throws Exception {
        CommonTestUtils.waitUtil(
                () -> IDS.size() >= count,
                Duration.ofMinutes(1),
                "waiting for " + count + " rows, have " + IDS.size());
    }

    public static LakeRowConverter<Long> converter() {
        return new IdConverter();
    }

    public static Sink<Long> sink() {
        return new CollectingSink();
    }

    /** Slows each subtask to about {@code rowsPerMilli} rows per millisecond (0: off). */
    public static MapFunction<Long, Long> throttle(int rowsPerMilli) {
        return new Throttle(rowsPerMilli);
    }

    /** The {@code id} column. */
    private static final class IdConverter implements LakeRowConverter<Long> {
        private static final long serialVersionUID = 1L;

        @Override
        public Long convert(RowData row) {
            return row.getLong(0);
        }

        @Override
        public TypeInformation<Long> producedType(RowType rowType) {
            return Types.LONG;
        }
    }

    /** Paces the pipeline at a fixed rate (so a savepoint lands while files are half read). */
    private static final class Throttle implements MapFunction<Long, Long> {
        private final int rowsPerMilli;
        private transient RateLimiter limiter;

        Throttle(int rowsPerMilli) {
            this.rowsPerMilli = rowsPerMilli;
        }

        @Override
        public Long map(Long value) {
            if (rowsPerMilli > 0) {
                if (limiter == null) {
                    limiter = RateLimiter.create(rowsPerMilli * 1000.0);
                }
                limiter.acquire();
            }
            return value;
        }
    }

    private static final class CollectingSink implements Sink<Long> {
        @Override
        public SinkWriter<Long> createWriter(WriterInitContext context) {
            return new SinkWriter<>() {
                @Override
                public void write(Long element, Context ctx) {
                    IDS.add(element);
                }

                @Override
                public void flush(boolean endOfInput) {}

                @Override
                public void close() {}
            };
        }
    }
}
