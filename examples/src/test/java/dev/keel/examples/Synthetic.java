package dev.keel.examples;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.SplittableRandom;

/** Small labeled CSV files for the command-line tests: words that tell the classes apart, plus noise. */
final class Synthetic {

    private static final String[] POSITIVE = {"great", "tasty", "love", "excellent", "fresh", "perfect"};
    private static final String[] NEGATIVE = {"awful", "stale", "bland", "broken", "refund", "bad"};
    private static final String[] NEUTRAL = {"the", "box", "arrived", "coffee", "bag", "we", "it", "was", "a"};

    private Synthetic() {
    }

    /** {@code rows} rows, a third of them {@code other}, in a CSV with header {@code id,text,label}. */
    static Path csv(Path dir, String name, int rows, long seed) throws IOException {
        SplittableRandom random = new SplittableRandom(seed);
        StringBuilder sb = new StringBuilder("id,text,label\n");
        for (int i = 0; i < rows; i++) {
            boolean other = i % 3 == 0;
            StringBuilder text = new StringBuilder();
            for (int w = 0; w < 8; w++) {
                String[] pool = random.nextInt(3) == 0 ? (other ? NEGATIVE : POSITIVE) : NEUTRAL;
                text.append(w > 0 ? " " : "").append(pool[random.nextInt(pool.length)]);
            }
            sb.append(i).append(",\"").append(text).append(", \"\"ok\"\"\",").append(other ? "other" : "great").append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
