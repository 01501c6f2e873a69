package org.flinkconnectors.odps.source;

import org.flinkconnectors.base.classloading.JobClassLoaderRelease;
import org.flinkconnectors.base.source.reader.PositionedRecordEmitter;
import org.flinkconnectors.base.source.reader.PullSourceReader;
import org.flinkconnectors.base.source.reader.ReadLimit;
import org.flinkconnectors.odps.source.enumerator.OdpsEnumState;
import org.flinkconnectors.odps.source.enumerator.OdpsEnumStateSerializer;
import org.flinkconnectors.odps.source.enumerator.OdpsSourceEnumerator;
import org.flinkconnectors.odps.source.reader.OdpsSourceReaderMetrics;
import org.flinkconnectors.odps.source.reader.OdpsSplitReader;
import org.flinkconnectors.odps.source.reader.TableReadContext;
import org.flinkconnectors.odps.source.split.OdpsSplit;
import org.flinkconnectors.odps.source.split.OdpsSplitSerializer;

import org.apache.flink.annotation.Internal;
import org.apache.flink.annotation.PublicEvolving;
import org.apache.flink.api.common.typeinfo.TypeInformation;
import org.apache.flink.api.connector.source.Boundedness;
import org.apache.flink.api.connector.source.Source;
import org.apache.flink.api.connector.source.SourceReader;
import org.apache.flink.api.connector.source.SourceReaderContext;
import org.apache.flink.api.connector.source.SplitEnumerator;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;
import org.apache.flink.api.java.typeutils.ResultTypeQueryable;
import org.apache.flink.core.io.SimpleVersionedSerializer;
import org.apache.flink.util.FlinkRuntimeException;

/**
 * A FLIP-27 source that reads a MaxCompute table through the tunnel, bounded (a snapshot of the
 * selected partitions) or unbounded (new partitions and rows appended to known ones as they
 * appear).
 *
 * <p>The enumerator opens one download session per partition snapshot and cuts its rows into splits
 * of at most {@link OdpsSourceBuilder#setSplitRows split-rows} rows; readers download their ranges
 * with the projected columns and checkpoint the rows they emitted, so a restore neither repeats nor
 * skips a row, even after the 24-hour session expiry.
 *
 * <pre>{@code
 * OdpsSource<RowData> source =
 *         OdpsSource.<RowData>builder()
 *                 .setConnection(connection)
 *                 .setTable("orders")
 *                 .setColumns(List.of("id", "amount"))
 *                 .setPartitionSelector(specs -> specs.subList(Math.max(0, specs.size() - 7), specs.size()))
 *                 .setDeserializer(deserializer)
 *                 .build();
 * env.fromSource(source, WatermarkStrategy.noWatermarks(), "orders");
 * }</pre>
 *
 * @param <OUT> the type of the produced elements
 */
@PublicEvolving
public class OdpsSource<OUT>
        implements Source<OUT, OdpsSplit, OdpsEnumState>, ResultTypeQueryable<OUT> {

    private static final long serialVersionUID = 1L;

    private final OdpsSourceSettings settings;
    private final OdpsRecordDeserializer<OUT> deserializer;

    OdpsSource(OdpsSourceSettings settings, OdpsRecordDeserializer<OUT> deserializer) {
        this.settings = settings;
        this.deserializer = deserializer;
    }

    /** A builder for a source; see the class documentation for an example. */
    public static <OUT> OdpsSourceBuilder<OUT> builder() {
        return new OdpsSourceBuilder<>();
    }

    @Override
    public Boundedness getBoundedness() {
        return settings.isBounded() ? Boundedness.BOUNDED : Boundedness.CONTINUOUS_UNBOUNDED;
    }

    @Override
    public SourceReader<OUT, OdpsSplit> createReader(SourceReaderContext context) throws Exception {
        JobClassLoaderRelease.register(context.getUserCodeClassLoader(), "odps", () -> {});
        OdpsSourceReaderMetrics metrics = new OdpsSourceReaderMetrics(context.metricGroup());
        ReadLimit limit = ReadLimit.of(settings.limit());
        // Every subtask deserializes its own copy of this source, so the deserializer is its own.
        TableReadContext<OUT> readContext = new TableReadContext<>(settings, deserializer);
        return new PullSourceReader<>(
                () -> new OdpsSplitReader<>(readContext, limit, metrics),
                new PositionedRecordEmitter<>(metrics::bytesEmitted),
                context);
    }

    @Override
    public SplitEnumerator<OdpsSplit, OdpsEnumState> createEnumerator(
            SplitEnumeratorContext<OdpsSplit> context) {
        return restoreEnumerator(context, OdpsEnumState.initial());
    }

    @Override
    public SplitEnumerator<OdpsSplit, OdpsEnumState> restoreEnumerator(
            SplitEnumeratorContext<OdpsSplit> context, OdpsEnumState state) {
        return new OdpsSourceEnumerator(context, settings, state);
    }

    @Override
    public SimpleVersionedSerializer<OdpsSplit> getSplitSerializer() {
        return OdpsSplitSerializer.INSTANCE;
    }

    @Override
    public SimpleVersionedSerializer<OdpsEnumState> getEnumeratorCheckpointSerializer() {
        return new OdpsEnumStateSerializer();
    }

    @Override
    public TypeInformation<OUT> getProducedType() {
        TypeInformation<OUT> type = deserializer.getProducedType();
        if (type == null) {
            throw new FlinkRuntimeException(
                    "The deserializer " + deserializer + " does not declare its produced type.");
        }
        return type;
    }

    /** What the source reads; for the table layer and tests. */
    @Internal
    public OdpsSourceSettings getSettings() {
        return settings;
    }

    @Override
    public String toString() {
        return "OdpsSource{" + settings + ", deserializer=" + deserializer + '}';
    }
}
