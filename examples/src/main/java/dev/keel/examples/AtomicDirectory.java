package dev.keel.examples;

import java.io.IOException;
import java.nio.file.DirectoryStream;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.Comparator;
import java.util.stream.Stream;

/**
 * Writes a whole output folder or nothing: everything goes into a hidden temporary folder next to
 * the target, which replaces the target by a rename only once it is complete. A failure removes the
 * temporary folder and leaves the target as it was.
 *
 * <p>An existing target is replaced only if it is empty or holds the {@code marker} file (a
 * previous keel output of the same kind), so a mistyped path never deletes someone's files.
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

    public static void write(Path target, String marker, String what, Writer writer) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        checkReplaceable(absolute, marker, what);
        Path parent = absolute.getParent();
        Files.createDirectories(parent);
        String name = absolute.getFileName().toString();
        Path temp = Files.createTempDirectory(parent, "." + name + ".tmp-");
        try {
            writer.write(temp);
            if (!Files.exists(temp.resolve(marker))) {
                throw new IllegalStateException("the " + what + " writer did not write " + marker);
            }
            if (Files.exists(absolute)) {
                Path old = Files.createTempDirectory(parent, "." + name + ".old-");
                Files.delete(old);
                Files.move(absolute, old, StandardCopyOption.ATOMIC_MOVE);
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
                } catch (IOException e) {
                    Files.move(old, absolute, StandardCopyOption.ATOMIC_MOVE); // put the old one back
                    throw e;
                }
                deleteTree(old);
            } else {
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    throw new InputException(target + " appeared while writing; nothing was written", e);
                }
            }
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(temp);
            throw e;
        }
    }

    private static boolean isEmpty(Path dir) {
        try (DirectoryStream<Path> entries = Files.newDirectoryStream(dir)) {
            return !entries.iterator().hasNext();
        } catch (IOException e) {
            throw new InputException("cannot read folder " + dir + ": " + e.getMessage(), e);
        }
    }

    /** Deletes a folder and everything in it; missing is fine. */
    public static void deleteTree(Path dir) throws IOException {
        if (!Files.exists(dir)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(dir)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }
}
