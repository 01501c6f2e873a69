package org.flinkconnectors.base.source.enumerator;

import org.apache.flink.annotation.Internal;
import org.apache.flink.api.connector.source.SourceSplit;
import org.apache.flink.api.connector.source.SplitEnumeratorContext;

import java.util.ArrayDeque;
import java.util.Collection;
import java.util.Deque;
import java.util.Iterator;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Predicate;

/**
 * The enumerator side of pull-based assignment: splits wait in planning order, readers ask for one
 * at a time (see {@code PullSourceReader}), and a reader that asks while none is left waits until
 * one is planned, or is told that none will come. A reader that failed after asking is dropped; it
 * asks again once it is back. Not thread-safe: the enumerator calls it from its own thread.
 */
@Internal
public final class PullSplitAssigner<SplitT extends SourceSplit> {

    /** Which reader may take a split; by default any reader takes any split. */
    public interface Routing<SplitT> {
        boolean mayRead(SplitT split, int reader);
    }

    private final SplitEnumeratorContext<SplitT> context;
    private final Routing<SplitT> routing;
    private final Deque<SplitT> unassigned;
    private final Set<Integer> waitingReaders = new LinkedHashSet<>();
    private volatile int unassignedCount;

    public PullSplitAssigner(SplitEnumeratorContext<SplitT> context, Collection<SplitT> restored) {
        this(context, restored, (split, reader) -> true);
    }

    public PullSplitAssigner(
            SplitEnumeratorContext<SplitT> context,
            Collection<SplitT> restored,
            Routing<SplitT> routing) {
        this.context = context;
        this.routing = routing;
        this.unassigned = new ArrayDeque<>(restored);
        this.unassignedCount = unassigned.size();
    }

    /** A reader asks for its next split. */
    public void requested(int reader) {
        waitingReaders.add(reader);
    }

    /** Newly planned splits, after those already waiting. */
    public void add(Collection<SplitT> splits) {
        unassigned.addAll(splits);
        unassignedCount = unassigned.size();
    }

    /** Splits a failed reader gives back: first in line again, in their original order. */
    public void addBack(List<SplitT> splits) {
        for (int i = splits.size() - 1; i >= 0; i--) {
            unassigned.addFirst(splits.get(i));
        }
        unassignedCount = unassigned.size();
    }

    /** Drops the waiting splits that match, e.g. of contents planned again; returns how many. */
    public int remove(Predicate<SplitT> which) {
        int before = unassigned.size();
        unassigned.removeIf(which);
        unassignedCount = unassigned.size();
        return before - unassigned.size();
    }

    /**
     * Hands each waiting reader its next split; with {@code noMoreSplits}, a reader for which none
     * is left is told so. Returns the number of splits assigned.
     */
    public int assign(boolean noMoreSplits) {
        Set<Integer> registered = context.registeredReaders().keySet();
        int assigned = 0;
        for (Iterator<Integer> it = waitingReaders.iterator(); it.hasNext(); ) {
            int reader = it.next();
            if (!registered.contains(reader)) {
                it.remove();
                continue;
            }
            SplitT next = takeNextFor(reader);
            if (next != null) {
                context.assignSplit(next, reader);
                assigned++;
                it.remove();
            } else if (noMoreSplits) {
                context.signalNoMoreSplits(reader);
                it.remove();
            }
        }
        unassignedCount = unassigned.size();
        return assigned;
    }

    /** The waiting splits in order, for a checkpoint. */
    public List<SplitT> unassigned() {
        return List.copyOf(unassigned);
    }

    /** The number of waiting splits; safe to read from a metric reporter's thread. */
    public int unassignedCount() {
        return unassignedCount;
    }

    private SplitT takeNextFor(int reader) {
        for (Iterator<SplitT> it = unassigned.iterator(); it.hasNext(); ) {
            SplitT split = it.next();
            if (routing.mayRead(split, reader)) {
                it.remove();
                return split;
            }
        }
        return null;
    }
}
