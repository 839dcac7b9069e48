package dev.keel.classifier;

import dev.keel.text.TextFormatException;
import dev.keel.text.data.LabeledDataset;
import dev.keel.text.data.LabeledTextReader;
import dev.keel.text.data.TextRows;

import java.io.IOException;
import java.nio.file.AccessDeniedException;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.List;

/**
 * Reading data for the commands (with the {@code text} module's readers): labeled rows, or texts
 * alone for predicting, with the checks every command needs and one-line messages for what can go
 * wrong.
 */
public final class Data {

    private Data() {
    }

    /** Training rows: at least one row and at least two classes. */
    public static LabeledDataset readTraining(Path file, String textColumn, String labelColumn, boolean skipBadRows) {
        LabeledDataset data = read(file, textColumn, labelColumn, skipBadRows);
        if (data.numClasses() < 2) {
            throw new InputException("the label column '" + labelColumn + "' of " + file + " has only one class ("
                    + data.labelNames() + "); a classifier needs at least two");
        }
        return data;
    }

    /** Evaluation rows, labeled with the given (the model's or the training set's) classes. */
    public static LabeledDataset readLabeled(Path file, String textColumn, String labelColumn, List<String> labels,
                                             boolean skipBadRows) {
        LabeledDataset data = read(file, textColumn, labelColumn, skipBadRows);
        try {
            return data.withLabelNames(labels);
        } catch (IllegalArgumentException e) {
            throw new InputException(file + ": " + e.getMessage() + " (the model's classes are " + labels + ")", e);
        }
    }

    /**
     * Reads a CSV, TSV or fastText file (optionally gzipped); every problem becomes one line. Bad
     * rows (an empty text, a wrong field count) are errors naming the line, or, with
     * {@code skipBadRows}, left out and counted in {@link LabeledDataset#skippedRows()}.
     */
    public static LabeledDataset read(Path file, String textColumn, String labelColumn, boolean skipBadRows) {
        LabeledTextReader reader = new LabeledTextReader().withColumns(textColumn, labelColumn).withSkipBadRows(skipBadRows);
        return reading(file, skipBadRows, () -> reader.read(file));
    }

    /**
     * The texts of a CSV, TSV or fastText file without labels (for predicting): as {@link #read},
     * but only the text column is needed (a label column is not read) and a fastText line's
     * {@code __label__} words are optional and left out.
     */
    public static TextRows readTexts(Path file, String textColumn, boolean skipBadRows) {
        // (readTexts does not use the label column, whatever its name)
        LabeledTextReader reader = new LabeledTextReader().withColumns(textColumn, LabeledTextReader.DEFAULT_LABEL_COLUMN)
                .withSkipBadRows(skipBadRows);
        return reading(file, skipBadRows, () -> reader.readTexts(file));
    }

    /** A read with the reader, with every problem turned into one line. */
    private static <T> T reading(Path file, boolean skipBadRows, Read<T> read) {
        if (Files.isDirectory(file)) {
            throw new InputException(file + " is a folder, not a data file");
        }
        try {
            return read.read();
        } catch (NoSuchFileException e) {
            throw new InputException("no such file: " + file, e);
        } catch (AccessDeniedException e) {
            throw new InputException("cannot read " + file + ": permission denied", e);
        } catch (TextFormatException e) {
            if (e.line() == 0 && e.problem().startsWith("no rows")) {
                throw new InputException(e.getMessage() + ": the data set is empty", e);
            }
            throw new InputException(e.getMessage(), e.line() > 0 && !skipBadRows && rowProblem(e.problem())
                    ? InputException.Hint.SKIP_BAD_ROWS : InputException.Hint.NONE, e);
        } catch (IOException e) {
            throw new InputException("cannot read " + file + ": " + e.getMessage(), e);
        }
    }

    private interface Read<T> {
        T read() throws IOException;
    }

    /** Whether a reader's problem concerns one row (which skipping can leave out), not the header or the encoding. */
    private static boolean rowProblem(String problem) {
        // a row with the wrong field count is a row problem, though its message mentions the header
        return problem.startsWith("expected ") || !problem.contains("header") && !problem.contains("UTF-16");
    }
}
