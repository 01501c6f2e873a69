package org.flinkconnectors.e2e;

import java.time.Duration;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;
import java.util.function.LongSupplier;

/**
 * Reports one stage of a pipeline while it runs: every interval, the rows a probe counts so far
 * (the rows the stage's target system holds, counted there) and the rate since the stage began;
 * {@link #close()} prints the stage's total. A probe that fails is reported once and then skipped:
 * progress is informational, the stage's own result decides.
 */
final class StageProgress implements AutoCloseable {

    private static final Duration INTERVAL = Duration.ofSeconds(2);

    private final String stage;
    private final LongSupplier rows;
    private final Consumer<String> out;
    private final long started = System.nanoTime();
    private final ScheduledExecutorService timer;
    private volatile boolean probeFailed;

    private StageProgress(String stage, LongSupplier rows, Consumer<String> out) {
        this.stage = stage;
        this.rows = rows;
        this.out = out;
        this.timer =
                Executors.newSingleThreadScheduledExecutor(
                        r -> {
                            Thread thread = new Thread(r, "progress-" + stage);
                            thread.setDaemon(true);
                            return thread;
                        });
    }

    /** Prints the stage's title and starts reporting {@code rows} every two seconds. */
    static StageProgress start(
            String stage, String title, LongSupplier rows, Consumer<String> out) {
        out.accept(String.format("%-6s %s ...", stage, title));
        StageProgress progress = new StageProgress(stage, rows, out);
        progress.timer.scheduleAtFixedRate(
                progress::report, INTERVAL.toMillis(), INTERVAL.toMillis(), TimeUnit.MILLISECONDS);
        return progress;
    }

    private void report() {
        if (probeFailed) {
            return;
        }
        try {
            long count = rows.getAsLong();
            out.accept(
                    count == 0
                            ? String.format("%-6s   no rows yet (%.0f s)", stage, seconds())
                            : String.format(
                                    "%-6s   %,d rows so far, %s", stage, count, rate(count)));
        } catch (RuntimeException e) {
            probeFailed = true;
            out.accept(String.format("%-6s   (progress unavailable: %s)", stage, e));
        }
    }

    private String rate(long count) {
        double secs = seconds();
        return secs <= 0 ? "-" : String.format("%,.0f rows/s", count / secs);
    }

    private double seconds() {
        return (System.nanoTime() - started) / 1e9;
    }

    /** Stops reporting (a report under way ends first) and prints the final count of the probe. */
    @Override
    public void close() throws InterruptedException {
        timer.shutdown();
        timer.awaitTermination(10, TimeUnit.SECONDS);
        long count;
        try {
            count = rows.getAsLong();
        } catch (RuntimeException e) {
            out.accept(String.format("%-6s   done in %.1f s", stage, seconds()));
            return;
        }
        out.accept(
                String.format(
                        "%-6s   done: %,d rows in %.1f s, %s",
                        stage, count, seconds(), rate(count)));
    }
}
