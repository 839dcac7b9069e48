package dev.keel.classifier;

import dev.keel.nn.io.AtomicWrite;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Writes a whole output folder or nothing ({@code nn}'s {@link AtomicWrite}, keel's one atomic
 * writer: a hidden temporary folder next to the target replaces it by a rename once complete, and
 * a failure or an interruption leaves the target as it was), with the runtime's policy on top: an
 * existing target is replaced only if it is empty or holds the {@code marker} file (a previous keel
 * output of the same kind), so a mistyped path never deletes someone's files; problems are
 * {@link InputException}s naming the folder.
 */
public final class AtomicDirectory {

    /** Writes the folder's contents into the given (empty) folder. */
    public interface Writer {
        void write(Path folder) throws IOException;
    }

    private AtomicDirectory() {
    }

    /** Checks up front that {@code target} could be replaced; throws {@link InputException} if not. */
    public static void checkReplaceable(Path target, String marker, String what) {
        if (!Files.exists(target)) {
            return;
        }
        if (!Files.isDirectory(target)) {
            throw new InputException(target + " exists and is not a folder; choose another " + what + " path");
        }
        if (!isEmpty(target) && !Files.exists(target.resolve(marker))) {
            throw new InputException(target + " exists and is not a keel " + what + " folder (no " + marker
                    + "); refusing to replace it");
        }
    }

    /**
     * Writes the folder {@code target} whole or not at all ({@link AtomicWrite#folder}), after
     * {@link #checkReplaceable}; the writer must write {@code marker}.
     */
    public static void write(Path target, String marker, String what, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        checkReplaceable(absolute, marker, what);
        try {
            Files.createDirectories(absolute.getParent());
        } catch (java.nio.file.FileSystemException e) {
            throw new InputException("cannot write the " + what + " folder " + target + " (" + InputException.describe(e) + ")", e);
        }
        try {
            AtomicWrite.folder(absolute, folder -> {
                writer.write(folder);
                if (!Files.exists(folder.resolve(marker))) {
                    throw new IllegalStateException("the " + what + " writer did not write " + marker);
                }
            });
        } catch (FileAlreadyExistsException e) {
            throw new InputException(target + " appeared while writing; nothing was written", e);
        } catch (InterruptedIOException e) {
            throw new InputException(e.getMessage(), e);
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new InputException("cannot read folder " + dir + ": " + e.getMessage(), e);
        }
    }
}
