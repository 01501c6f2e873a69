package org.flinkconnectors.odps.testutils;

import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Predicate;

/**
 * Faults the {@link OdpsTestServer} injects into matching requests: answer with an HTTP error, cut
 * a download stream short, delay the answer, or restart the server's front end before or after the
 * request takes effect. Each fault applies to a bounded number of requests, then retires.
 */
public final class FaultInjector {

    private final List<Fault> faults = new CopyOnWriteArrayList<>();

    /** Answers the next {@code times} matching requests with {@code status} (e.g. 500 or 503). */
    public FaultInjector failRequests(Predicate<ServerRequest> matcher, int times, int status) {
        faults.add(new Fault(matcher, times, Kind.FAIL, status, 0, Duration.ZERO));
        return this;
    }

    /**
     * Lets the next {@code times} matching requests take effect, then answers them with {@code
     * status}: a success whose answer got lost on the way back.
     */
    public FaultInjector loseAnswers(Predicate<ServerRequest> matcher, int times, int status) {
        faults.add(new Fault(matcher, times, Kind.LOSE_ANSWER, status, 0, Duration.ZERO));
        return this;
    }

    /** Ends the next {@code times} matching downloads after {@code bytes} bytes of data. */
    public FaultInjector truncateDownloads(Predicate<ServerRequest> matcher, int times, int bytes) {
        faults.add(new Fault(matcher, times, Kind.TRUNCATE, 0, bytes, Duration.ZERO));
        return this;
    }

    /** Delays the next {@code times} matching requests. */
    public FaultInjector delayRequests(
            Predicate<ServerRequest> matcher, int times, Duration delay) {
        faults.add(new Fault(matcher, times, Kind.DELAY, 0, 0, delay));
        return this;
    }

    /**
     * Restarts the server's front end ({@link OdpsTestServer#restartFrontEnd}) when the next {@code
     * times} matching requests arrive, before they take effect: the client's connection closes
     * without an answer and the port refuses connections for {@code downtime}.
     */
    public FaultInjector restartBefore(
            Predicate<ServerRequest> matcher, int times, Duration downtime) {
        faults.add(new Fault(matcher, times, Kind.RESTART_BEFORE, 0, 0, downtime));
        return this;
    }

    /**
     * Lets the next {@code times} matching requests take effect, then restarts the server's front
     * end ({@link OdpsTestServer#restartFrontEnd}) instead of answering: the state change is
     * applied, the client's connection closes without an answer, and the port refuses connections
     * for {@code downtime}.
     */
    public FaultInjector restartAfter(
            Predicate<ServerRequest> matcher, int times, Duration downtime) {
        faults.add(new Fault(matcher, times, Kind.RESTART_AFTER, 0, 0, downtime));
        return this;
    }

    /** Removes every fault that has not fired yet. */
    public void clear() {
        faults.clear();
    }

    /** Faults not yet used up. */
    public int pending() {
        int pending = 0;
        for (Fault fault : faults) {
            pending += Math.max(0, fault.remaining.get());
        }
        return pending;
    }

    /**
     * Applies delays and throws for failures and restarts due before the request takes effect;
     * returns the byte limit of a truncation, or -1.
     */
    long apply(ServerRequest request, boolean isDownload) throws InterruptedException {
        long truncateAt = -1;
        for (Fault fault : faults) {
            if ((fault.kind == Kind.TRUNCATE && !isDownload) || fault.kind.afterEffect) {
                continue;
            }
            if (!fault.matcher.test(request) || fault.remaining.getAndDecrement() <= 0) {
                continue;
            }
            switch (fault.kind) {
                case FAIL:
                    throw new ServerException(
                            fault.status,
                            "InjectedFault",
                            "Injected fault: HTTP " + fault.status + " for " + request);
                case DELAY:
                    Thread.sleep(fault.delay.toMillis());
                    break;
                case TRUNCATE:
                    truncateAt = fault.bytes;
                    break;
                case RESTART_BEFORE:
                    throw new Restart(fault.delay, request);
                default:
                    throw new IllegalStateException();
            }
        }
        faults.removeIf(f -> f.remaining.get() <= 0);
        return truncateAt;
    }

    /**
     * Throws the error or the restart that replaces the answer of a request that took effect, if
     * one is due.
     */
    void applyAfter(ServerRequest request) {
        for (Fault fault : faults) {
            if (fault.kind.afterEffect
                    && fault.matcher.test(request)
                    && fault.remaining.getAndDecrement() > 0) {
                faults.removeIf(f -> f.remaining.get() <= 0);
                if (fault.kind == Kind.RESTART_AFTER) {
                    throw new Restart(fault.delay, request);
                }
                throw new ServerException(
                        fault.status, "InjectedFault", "Injected lost answer for " + request);
            }
        }
    }

    /** A restart of the server's front end, due instead of answering the request. */
    static final class Restart extends RuntimeException {
        private final Duration downtime;

        Restart(Duration downtime, ServerRequest request) {
            super("Injected front-end restart at " + request, null, false, false);
            this.downtime = downtime;
        }

        Duration downtime() {
            return downtime;
        }
    }

    private enum Kind {
        LOSE_ANSWER(true),
        FAIL(false),
        TRUNCATE(false),
        DELAY(false),
        RESTART_BEFORE(false),
        RESTART_AFTER(true);

        /** Whether the fault replaces the answer of a request that took effect. */
        final boolean afterEffect;

        Kind(boolean afterEffect) {
            this.afterEffect = afterEffect;
        }
    }

    private static final class Fault {
        final Predicate<ServerRequest> matcher;
        final AtomicInteger remaining;
        final Kind kind;
        final int status;
        final long bytes;
        final Duration delay;

        Fault(
                Predicate<ServerRequest> matcher,
                int times,
                Kind kind,
                int status,
                long bytes,
                Duration delay) {
            this.matcher = matcher;
            this.remaining = new AtomicInteger(times);
            this.kind = kind;
            this.status = status;
            this.bytes = bytes;
            this.delay = delay;
        }
    }
}
