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
 */
public class InputException extends RuntimeException {

    private static final long serialVersionUID = 1L;

    public InputException(String message) {
        super(message);
    }

    public InputException(String message, Throwable cause) {
        super(message, cause);
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
