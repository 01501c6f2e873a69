package org.flinkconnectors.base.sink;

import org.apache.flink.annotation.Internal;
import org.apache.flink.util.Preconditions;

import javax.annotation.Nullable;

import java.io.IOException;
import java.util.HashMap;
import java.util.Map;

/**
 * One memory budget over the buffers of a sink writer subtask (one buffer per partition, say): the
 * writer reports each buffer's size after it changes, and while the sum exceeds the budget it
 * flushes the {@link #largest()} buffer and reports it empty. Flushing the largest frees the most
 * memory per flush, so the buffers that stay small keep collecting rows into larger blocks or
 * files.
 *
 * <p>Sizes are what the writer says they are: estimates of the bytes a buffer holds, kept cheaply
 * as rows are appended. Not thread-safe; it lives in the writer's task thread.
 *
 * @param <K> what identifies a buffer, e.g. its partition
 */
@Internal
public final class BufferBudget<K> {

    private final long maxBytes;
    private final Map<K, Long> sizes = new HashMap<>();
    private long buffered;
    private long peak;

    /** A budget of {@code maxBytes} (positive) over all buffers. */
    public BufferBudget(long maxBytes) {
        Preconditions.checkArgument(
                maxBytes > 0, "The buffer memory must be positive, but is %s.", maxBytes);
        this.maxBytes = maxBytes;
    }

    /** Records the current size of a buffer, 0 when it is empty (flushed). */
    public void resized(K buffer, long bytes) {
        Long previous = bytes == 0 ? sizes.remove(buffer) : sizes.put(buffer, bytes);
        buffered += bytes - (previous == null ? 0 : previous);
    }

    /** Forgets a buffer, e.g. one handed over or dropped at a checkpoint. */
    public void removed(K buffer) {
        resized(buffer, 0);
    }

    /** Whether the buffers hold more than the budget, so the largest should be flushed. */
    public boolean exceeded() {
        return buffered > maxBytes;
    }

    /** The buffer holding the most bytes, or null if all are empty. */
    @Nullable
    public K largest() {
        K largest = null;
        long largestBytes = 0;
        for (Map.Entry<K, Long> entry : sizes.entrySet()) {
            if (entry.getValue() > largestBytes) {
                largest = entry.getKey();
                largestBytes = entry.getValue();
            }
        }
        return largest;
    }

    /**
     * While the buffers hold more than the budget, flushes the largest; called after every row (the
     * budget is then exceeded by at most that row until it is flushed).
     */
    public void enforce(Flush<K> flush) throws IOException {
        while (buffered > maxBytes) {
            K largest = largest();
            if (largest == null) {
                break;
            }
            long before = sizes.get(largest);
            long after = flush.flush(largest);
            if (after >= before) {
                throw new IllegalStateException(
                        "Flushing buffer "
                                + largest
                                + " did not free memory ("
                                + after
                                + " bytes)");
            }
            resized(largest, after);
        }
        peak = Math.max(peak, buffered);
    }

    /** The bytes all buffers hold now. */
    public long buffered() {
        return buffered;
    }

    /** The most bytes the buffers held after the budget was {@link #enforce enforced}. */
    public long peak() {
        return peak;
    }

    public long maxBytes() {
        return maxBytes;
    }

    /** Forgets all buffers, e.g. when the writer hands them all over at a checkpoint. */
    public void clear() {
        sizes.clear();
        buffered = 0;
    }

    /** Flushes one buffer (uploads it as a block, writes it out as a file). */
    @FunctionalInterface
    public interface Flush<K> {
        /** Flushes the buffer and returns the bytes it still holds, normally 0. */
        long flush(K buffer) throws IOException;
    }

    @Override
    public String toString() {
        return "BufferBudget{" + buffered + " of " + maxBytes + " bytes in " + sizes.size() + "}";
    }
}
