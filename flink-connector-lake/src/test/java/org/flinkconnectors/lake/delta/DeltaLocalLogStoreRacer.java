package org.flinkconnectors.lake.delta;

import org.apache.hadoop.conf.Configuration;

import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * The second JVM of {@link DeltaLocalLogStoreTest#racingJvmsGetExactlyOneWinnerPerFile()}: prints
 * {@value #READY}, waits for the start file, then writes commit files {@code 0..n-1} with put-if
 * -absent and prints the number of each file it won.
 *
 * <p>Arguments: log directory, start file, writer name, number of files.
 */
final class DeltaLocalLogStoreRacer {

    static final String READY = "ready";

    private DeltaLocalLogStoreRacer() {}

    public static void main(String[] args) throws Exception {
        Path log = Path.of(args[0]);
        Path go = Path.of(args[1]);
        System.out.println(READY);
        System.out.flush();
        long deadline = System.nanoTime() + 60_000_000_000L;
        while (!Files.exists(go)) {
            if (System.nanoTime() > deadline) {
                throw new IllegalStateException("no start file " + go + " within 60 s");
            }
            Thread.onSpinWait();
        }
        for (int won : race(log, args[2], Integer.parseInt(args[3]))) {
            System.out.println(won);
        }
    }

    /** Writes files {@code 0..files-1} in order; returns those this writer created. */
    static Set<Integer> race(Path log, String writer, int files) throws Exception {
        Configuration conf = new Configuration();
        DeltaLocalLogStore store = new DeltaLocalLogStore(conf);
        Set<Integer> won = new HashSet<>();
        for (int i = 0; i < files; i++) {
            org.apache.hadoop.fs.Path file =
                    new org.apache.hadoop.fs.Path(
                            log.resolve(String.format("%020d.json", i)).toUri());
            try {
                store.write(file, List.of(line(writer, i)).iterator(), false, conf);
                won.add(i);
            } catch (FileAlreadyExistsException e) {
                // the other JVM was first
            }
        }
        return won;
    }

    static String line(String writer, int i) {
        return "{\"writer\":\"" + writer + "\",\"file\":" + i + "}";
    }
}
