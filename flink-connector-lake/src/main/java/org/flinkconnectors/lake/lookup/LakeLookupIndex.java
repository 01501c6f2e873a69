package org.flinkconnectors.lake.lookup;

import org.apache.flink.annotation.Internal;
import org.apache.flink.table.data.GenericRowData;
import org.apache.flink.table.data.RowData;
import org.apache.flink.table.data.binary.BinaryRowData;
import org.apache.flink.table.runtime.typeutils.RowDataSerializer;
import org.apache.flink.table.types.logical.LogicalType;
import org.apache.flink.table.types.logical.RowType;
import org.apache.flink.types.RowKind;

import javax.annotation.Nullable;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The rows of a lake table by lookup key, in memory. Keys and rows are kept as binary rows, so keys
 * built from the planner's probe rows and from the table's rows compare by content. A key's rows
 * are a multiset: a deleted row removes one equal row. Each key's list is replaced as a whole, so a
 * lookup running while a refresh applies a commit sees a key before or after the change.
 */
@Internal
public final class LakeLookupIndex {

    private final RowType rowType;
    private final int[] keyPositions;
    private final RowDataSerializer rows;
    // Binary rows come from reused buffers: one serializer for the lookup thread's probe keys, one
    // for the refreshing thread.
    private final RowDataSerializer probeKeys;
    private final RowDataSerializer rowKeys;
    private final RowData.FieldGetter[] keyGetters;
    private final Map<BinaryRowData, List<RowData>> byKey = new ConcurrentHashMap<>();
    private final AtomicLong size = new AtomicLong();

    /** The one partition the index holds, or null for all; see {@link LakeLookupReader}. */
    @Nullable private volatile String partition;

    public LakeLookupIndex(RowType rowType, int[] keyPositions) {
        this.rowType = rowType;
        this.keyPositions = keyPositions.clone();
        this.rows = new RowDataSerializer(rowType);
        LogicalType[] keyTypes = new LogicalType[keyPositions.length];
        this.keyGetters = new RowData.FieldGetter[keyPositions.length];
        for (int i = 0; i < keyPositions.length; i++) {
            keyTypes[i] = rowType.getTypeAt(keyPositions[i]);
            keyGetters[i] = RowData.createFieldGetter(keyTypes[i], keyPositions[i]);
        }
        this.probeKeys = new RowDataSerializer(keyTypes);
        this.rowKeys = new RowDataSerializer(keyTypes);
    }

    /** An empty index of the same rows and key. */
    public LakeLookupIndex emptyCopy() {
        return new LakeLookupIndex(rowType, keyPositions);
    }

    /** The rows of a probe key, whose fields are the key columns in key order. */
    public Collection<RowData> get(RowData probeKey) {
        List<RowData> found = byKey.get(insert(probeKeys.toBinaryRow(probeKey)));
        return found == null ? List.of() : found;
    }

    /** Adds a copy of the row (the reader may reuse it). */
    public void add(RowData row) {
        BinaryRowData copy = insert(rows.toBinaryRow(row));
        byKey.compute(
                keyOf(copy),
                (key, existing) -> {
                    List<RowData> updated =
                            existing == null ? new ArrayList<>(1) : new ArrayList<>(existing);
                    updated.add(copy);
                    return List.copyOf(updated);
                });
        size.incrementAndGet();
    }

    /** Removes one row equal to {@code row}; returns whether there was one. */
    public boolean remove(RowData row) {
        BinaryRowData deleted = insert(rows.toBinaryRow(row));
        boolean[] removed = new boolean[1];
        byKey.computeIfPresent(
                keyOf(deleted),
                (key, existing) -> {
                    List<RowData> updated = new ArrayList<>(existing);
                    removed[0] = updated.remove(deleted);
                    return updated.isEmpty() ? null : List.copyOf(updated);
                });
        if (removed[0]) {
            size.decrementAndGet();
        }
        return removed[0];
    }

    /** Whether the row's key is the probe key. */
    public boolean hasKey(RowData row, RowData probeKey) {
        return keyOf(row).equals(insert(probeKeys.toBinaryRow(probeKey)));
    }

    /** The partition path of the only partition held, or null if the index holds all. */
    @Nullable
    public String heldPartition() {
        return partition;
    }

    void holdPartition(@Nullable String partition) {
        this.partition = partition;
    }

    public long size() {
        return size.get();
    }

    private BinaryRowData keyOf(RowData row) {
        Object[] values = new Object[keyGetters.length];
        for (int i = 0; i < keyGetters.length; i++) {
            values[i] = keyGetters[i].getFieldOrNull(row);
        }
        return insert(rowKeys.toBinaryRow(GenericRowData.of(values)));
    }

    /**
     * A copy whose kind is INSERT: binary rows compare their kind too, and deletes carry theirs.
     */
    private static BinaryRowData insert(BinaryRowData row) {
        BinaryRowData copy = row.copy();
        copy.setRowKind(RowKind.INSERT);
        return copy;
    }
}
