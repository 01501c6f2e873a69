package org.flinkconnectors.lake.testutils;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/** Test data for the connector testing framework's contexts: unique strings of random length. */
public final class RandomValues {

    private static final String ALPHABET = "abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";

    private RandomValues() {}

    /**
     * Between {@code min} and {@code max} (exclusive) values {@code prefix + i + "-"} followed by
     * up to 30 random letters; the index keeps them unique, the letters vary file and page sizes.
     */
    public static List<String> generate(Random random, String prefix, int min, int max) {
        int count = min + random.nextInt(max - min);
        List<String> values = new ArrayList<>(count);
        for (int i = 0; i < count; i++) {
            StringBuilder value = new StringBuilder(prefix + i + "-");
            int length = random.nextInt(31);
            for (int c = 0; c < length; c++) {
                value.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
            }
            values.add(value.toString());
        }
        return values;
    }
}
