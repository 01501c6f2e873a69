package org.flinkconnectors.streams.sink.internal;

import org.apache.flink.annotation.Internal;

import java.util.Objects;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * The scheme of the sink's transactional ids, {@code <prefix>-<parallelism>-<subtask>-<n>}, and its
 * exact inverse. Matching an id by its start is not enough: ids of prefix {@code orders-eu} or
 * {@code orders-2} start with {@code orders-}, and a sink must never fence another sink's
 * transactions. Because the suffix is always exactly three canonical numbers, every id belongs to
 * at most one prefix.
 */
@Internal
public final class TransactionalIds {

    private static final String NUMBER = "(0|[1-9][0-9]*)";
    private static final String SUFFIX = "-" + NUMBER + "-" + NUMBER + "-" + NUMBER;

    private TransactionalIds() {}

    public static String of(String prefix, int parallelism, int subtaskId, int index) {
        return prefix + "-" + parallelism + "-" + subtaskId + "-" + index;
    }

    /** A regular expression that matches exactly the ids of {@code prefix}. */
    public static String pattern(String prefix) {
        return Pattern.quote(prefix) + SUFFIX;
    }

    /** The owner and index of {@code transactionalId} if it is an id of {@code prefix}. */
    public static Optional<Parsed> parse(String prefix, String transactionalId) {
        Matcher matcher = Pattern.compile(pattern(prefix)).matcher(transactionalId);
        if (!matcher.matches()) {
            return Optional.empty();
        }
        try {
            return Optional.of(
                    new Parsed(
                            Integer.parseInt(matcher.group(1)),
                            Integer.parseInt(matcher.group(2)),
                            Integer.parseInt(matcher.group(3))));
        } catch (NumberFormatException e) {
            // Beyond int: not an id this sink could have made.
            return Optional.empty();
        }
    }

    /** The parts of a parsed transactional id after its prefix. */
    public static final class Parsed {
        private final int parallelism;
        private final int subtaskId;
        private final int index;

        Parsed(int parallelism, int subtaskId, int index) {
            this.parallelism = parallelism;
            this.subtaskId = subtaskId;
            this.index = index;
        }

        public int parallelism() {
            return parallelism;
        }

        public int subtaskId() {
            return subtaskId;
        }

        public int index() {
            return index;
        }

        /**
         * Whether the id belongs to the writer subtask {@code subtaskId} of {@code parallelism}.
         */
        public boolean isOwnedBy(int parallelism, int subtaskId) {
            return this.parallelism == parallelism && this.subtaskId == subtaskId;
        }

        @Override
        public boolean equals(Object o) {
            if (!(o instanceof Parsed)) {
                return false;
            }
            Parsed that = (Parsed) o;
            return parallelism == that.parallelism
                    && subtaskId == that.subtaskId
                    && index == that.index;
        }

        @Override
        public int hashCode() {
            return Objects.hash(parallelism, subtaskId, index);
        }

        @Override
        public String toString() {
            return parallelism + "-" + subtaskId + "-" + index;
        }
    }
}
