package dev.keel.examples;

import dev.keel.core.testing.SyntheticReviews;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;

/** Small labeled CSV files for the command-line tests: {@link SyntheticReviews} in a CSV with quoting. */
final class Synthetic {

    private Synthetic() {
    }

    /** {@code rows} rows, a third of them {@code other}, in a CSV with header {@code id,text,label}. */
    static Path csv(Path dir, String name, int rows, long seed) throws IOException {
        SyntheticReviews.Rows texts = SyntheticReviews.rows(rows, seed);
        StringBuilder sb = new StringBuilder("id,text,label\n");
        for (int i = 0; i < rows; i++) {
            sb.append(i).append(",\"").append(texts.texts().get(i)).append(", \"\"ok\"\"\",").append(texts.labels().get(i))
                    .append('\n');
        }
        Path file = dir.resolve(name);
        Files.writeString(file, sb.toString(), StandardCharsets.UTF_8);
        return file;
    }
}
