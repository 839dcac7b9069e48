package dev.keel.examples;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

/**
 * Where the command line finds the project's data: the bundled fine-food reviews
 * ({@code data/fine_foods/} at the repository root) and the measurement-only sets in
 * {@code shared/data/} next to (or above) the checkout, which are never part of the project. Found by
 * walking up from the working directory, then from the folder the keel jar sits in (so
 * {@code ./keel} finds them from anywhere). Knowledge of this repository, so not in the runtime.
 */
public final class RepositoryFiles {

    /** The bundled training reviews, relative to the repository root. */
    public static final String FINE_FOODS_TRAIN = "data/fine_foods/fine_foods_train.csv";
    /** The bundled test reviews, relative to the repository root. */
    public static final String FINE_FOODS_TEST = "data/fine_foods/fine_foods_test.csv";
    /** Their text and label columns. */
    public static final String FINE_FOODS_TEXT = "review";
    public static final String FINE_FOODS_LABEL = "score";
    /** The shared 10-category Chinese reviews (measurement data, not shipped). */
    public static final String MULTICLASS_FILE = "online_shopping_10_cats.csv.gz";

    private RepositoryFiles() {
    }

    /** {@code relative} below the working directory or one of its ancestors, else below the jar's folder or one of its ancestors. */
    public static Optional<Path> findUp(String relative) {
        Optional<Path> found = findUp(Path.of(System.getProperty("user.dir")), relative);
        if (found.isPresent()) {
            return found;
        }
        try {
            Path jar = Path.of(RepositoryFiles.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            return findUp(jar.toAbsolutePath().getParent(), relative);
        } catch (URISyntaxException | RuntimeException e) {
            return Optional.empty(); // no code source: the working directory alone
        }
    }

    /** The first existing {@code dir/relative} for {@code dir} = {@code start} and its ancestors. */
    public static Optional<Path> findUp(Path start, String relative) {
        for (Path dir = start.toAbsolutePath().normalize(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve(relative);
            if (Files.exists(candidate)) {
                return Optional.of(candidate);
            }
        }
        return Optional.empty();
    }

    /** A measurement-only data set, {@code shared/data/<fileName>} next to or above the checkout. */
    public static Optional<Path> sharedData(String fileName) {
        return findUp("shared/data/" + fileName).or(() -> findUp("../shared/data/" + fileName));
    }
}
