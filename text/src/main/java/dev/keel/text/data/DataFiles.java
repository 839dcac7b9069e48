package dev.keel.text.data;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Finds data files by walking up from a directory: the bundled fine-food reviews
 * ({@code data/fine_foods/} at the repository root) and the measurement-only sets in
 * {@code shared/data/} next to (or above) the checkout, which are never part of the project.
 */
public final class DataFiles {

    /** The bundled training reviews, relative to the repository root. */
    public static final String FINE_FOODS_TRAIN = "data/fine_foods/fine_foods_train.csv";
    /** The bundled test reviews, relative to the repository root. */
    public static final String FINE_FOODS_TEST = "data/fine_foods/fine_foods_test.csv";
    /** Their text and label columns. */
    public static final String FINE_FOODS_TEXT_COLUMN = "review";
    public static final String FINE_FOODS_LABEL_COLUMN = "score";

    private DataFiles() {
    }

    /** The first existing {@code dir/relativePath} for {@code dir} = the working directory and its ancestors. */
    public static Optional<Path> findUp(String relativePath) {
        return findUp(Path.of(System.getProperty("user.dir")), relativePath);
    }

    /** The first existing {@code dir/relativePath} for {@code dir} = {@code start} and its ancestors. */
    public static Optional<Path> findUp(Path start, String relativePath) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relativePath);
            if (Files.exists(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A file of the shared measurement data ({@code shared/data/<fileName>} found walking up). */
    public static Optional<Path> sharedData(String fileName) {
        return findUp("shared/data/" + fileName);
    }
}
