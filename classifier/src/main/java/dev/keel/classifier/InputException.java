package dev.keel.classifier;

import java.nio.file.AccessDeniedException;
import java.nio.file.DirectoryNotEmptyException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.FileSystemException;
import java.nio.file.NoSuchFileException;
import java.nio.file.NotDirectoryException;

/**
 * A problem with what the user gave (a file, a column, a model folder, a value), in one line that
 * names it: the command line prints the message and exits with status 1, without a stack trace.
 *
 * <p>Where a setting would help, the exception carries a {@link Hint}: {@link #getMessage()} says it
 * in words ("lower the learning rate"), and a front end may say it in its own terms instead
 * ({@link #problem()} is the message without it), as the command line names its flags.
 */
public class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    /** A setting that would get past the problem. */
    public enum Hint {
        NONE(""),
        /** Bad rows of a data file may be left out instead. */
        SKIP_BAD_ROWS(" (skipping bad rows leaves such rows out)"),
        /** The updates overflowed float. */
        LOWER_LEARNING_RATE(" (lower the learning rate)"),
        /** A batch had a non-finite value: a smaller rate, or skipping such batches. */
        LOWER_LEARNING_RATE_OR_SKIP_NONFINITE(" (lower the learning rate, or skip batches with non-finite values)");

        private final String words;

        Hint(String words) {
            this.words = words;
        }

        /** The hint as {@link #getMessage()} appends it (empty for {@link #NONE}). */
        public String words() {
            return words;
        }
    }

    private final String problem;
    private final Hint hint;

    public InputException(String message) {
        this(message, Hint.NONE, null);
    }

    public InputException(String message, Throwable cause) {
        this(message, Hint.NONE, cause);
    }

    public InputException(String problem, Hint hint, Throwable cause) {
        super(problem + hint.words(), cause);
        this.problem = problem;
        this.hint = hint;
    }

    /** The message without the hint. */
    public String problem() {
        return problem;
    }

    public Hint hint() {
        return hint;
    }

    /**
     * A file-system refusal (permission, a file where a folder should be, a missing folder) in
     * words: the user's problem to fix, not a bug, whoever met it.
     */
    public static String describe(FileSystemException e) {
        String reason = e instanceof AccessDeniedException ? "permission denied"
                : e instanceof FileAlreadyExistsException ? "it already exists (as a file?)"
                : e instanceof NoSuchFileException ? "no such file or folder"
                : e instanceof NotDirectoryException ? "a part of the path is not a folder"
                : e instanceof DirectoryNotEmptyException ? "the folder is not empty"
                : e.getReason() != null ? e.getReason() : "refused by the file system";
        return "cannot use " + e.getFile() + (e.getOtherFile() != null ? " or " + e.getOtherFile() : "") + ": "
                + reason;
    }
}
