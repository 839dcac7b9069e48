package dev.keel.examples;

import dev.keel.examples.engine.LabeledTexts;
import dev.keel.examples.engine.TableReader;

import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;

/** Reading labeled data for the commands, with the checks every command needs. */
public final class Data {

    public static final String FINE_FOODS_TRAIN = "data/fine_foods/fine_foods_train.csv";
    public static final String FINE_FOODS_TEST = "data/fine_foods/fine_foods_test.csv";
    public static final String FINE_FOODS_TEXT = "review";
    public static final String FINE_FOODS_LABEL = "score";
    public static final String MULTICLASS_FILE = "online_shopping_10_cats.csv.gz";

    private Data() {
    }

    /** Training rows: at least one row and at least two classes. */
    public static LabeledTexts readTraining(Path file, String textColumn, String labelColumn) {
        LabeledTexts data = TableReader.read(file, textColumn, labelColumn, null);
        if (data.size() == 0) {
            throw new InputException("the training set " + file + " is empty (a header but no rows)");
        }
        if (data.classes() < 2) {
            throw new InputException("the label column '" + labelColumn + "' of " + file + " has only one class ("
                    + data.labelNames() + "); a classifier needs at least two");
        }
        return data;
    }

    /** Evaluation rows, labeled with the given (the model's or the training set's) classes. */
    public static LabeledTexts readLabeled(Path file, String textColumn, String labelColumn, List<String> labels) {
        LabeledTexts data = TableReader.read(file, textColumn, labelColumn, labels);
        if (data.size() == 0) {
            throw new InputException(file + " has no rows");
        }
        return data;
    }

    /**
     * A file of the project found by walking up from the working directory, then from the folder
     * the keel jar sits in (so {@code ./keel} finds the bundled data from anywhere).
     */
    public static Optional<Path> findUp(String relative) {
        List<Path> starts = new ArrayList<>();
        starts.add(Path.of("").toAbsolutePath());
        try {
            Path jar = Path.of(Data.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            starts.add(jar.toAbsolutePath().getParent());
        } catch (URISyntaxException | RuntimeException e) {
            // no code source: the working directory alone
        }
        for (Path start : starts) {
            for (Path dir = start; dir != null; dir = dir.getParent()) {
                Path candidate = dir.resolve(relative);
                if (Files.exists(candidate)) {
                    return Optional.of(candidate.normalize());
                }
            }
        }
        return Optional.empty();
    }

    /** A measurement-only data set in {@code shared/data} next to (or above) the checkout. */
    public static Optional<Path> sharedData(String fileName) {
        return findUp("shared/data/" + fileName).or(() -> findUp("../shared/data/" + fileName));
    }
}
