package dev.keel.classifier;

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
        String name = absolute.getFileName().toString();
        Path temp;
        try {
            Files.createDirectories(parent);
            temp = createHiddenFolder(parent, "." + name + ".tmp-");
        } catch (java.nio.file.FileSystemException e) {
            throw new InputException("cannot write the " + what + " folder " + target + " (" + InputException.describe(e) + ")", e);
        }
        Interruption interruption = new Interruption(temp);
        try {
            interruption.register();
            writer.write(temp);
            if (!Files.exists(temp.resolve(marker))) {
                throw new IllegalStateException("the " + what + " writer did not write " + marker);
            }
            interruption.commit(() -> {
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
                    return old;
                }
                try {
                    Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
                } catch (FileAlreadyExistsException e) {
                    throw new InputException(target + " appeared while writing; nothing was written", e);
                }
                return null;
            });
            interruption.deleteOld();
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(temp);
            throw e;
        } finally {
            interruption.unregister();
        }
    }

    /**
     * A new folder {@code parent/prefix<random>} with the permissions any new folder gets (the
     * umask's), unlike {@code Files.createTempDirectory}, whose owner-only folder would become the
     * model or report folder itself.
     */
    private static Path createHiddenFolder(Path parent, String prefix) throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path folder = parent.resolve(prefix + Long.toUnsignedString(
                    java.util.concurrent.ThreadLocalRandom.current().nextLong(), 36));
            try {
                return Files.createDirectory(folder);
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** The renames that put a finished folder in place; returns the replaced folder, moved aside, or null. */
    interface Commit {
        Path run() throws IOException;
    }

    /**
     * Keeps an interrupted write (Ctrl-C, {@code kill}: the JVM runs its shutdown hooks) from leaving
     * anything behind: a shutdown hook deletes the temporary folder, or, if the renames already ran,
     * the replaced folder moved aside. The renames themselves run under a lock the hook takes too, so
     * an interruption never falls between them (the target would be missing); a hook that comes
     * first marks the write aborted, and it then renames nothing. A hard kill ({@code kill -9}, power
     * loss) runs no hooks: the target is then the old folder or the new one, except in the instant
     * between the two renames, after which {@link ModelFolder#load} points at the folder moved aside.
     */
    static final class Interruption {

        /** Writes in progress in this JVM (tests interrupt them without ending the JVM). */
        private static final java.util.Set<Interruption> ACTIVE = java.util.concurrent.ConcurrentHashMap.newKeySet();

        private final Path temp;
        private final Thread hook = new Thread(this::interrupt, "keel-atomic-directory-cleanup");
        private boolean aborted;
        private boolean committed;
        private Path old;

        Interruption(Path temp) {
            this.temp = temp;
        }

        void register() {
            ACTIVE.add(this);
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                throw new InputException("keel is shutting down; nothing was written", shuttingDown);
            }
        }

        void unregister() {
            ACTIVE.remove(this);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running or has run: it does the cleanup
            }
        }

        synchronized void commit(Commit renames) throws IOException {
            if (aborted) {
                throw new InputException("interrupted; nothing was written");
            }
            old = renames.run();
            committed = true;
        }

        synchronized void deleteOld() throws IOException {
            if (old != null) {
                deleteTree(old);
                old = null;
            }
        }

        /** The shutdown hook: waits for renames in progress, then removes what would be left behind. */
        synchronized void interrupt() {
            aborted = true;
            Path leftover = committed ? old : temp;
            // The writing thread may still be adding files to the temporary folder: retry until it is
            // gone (then nothing can be created in it any more).
            for (int attempt = 0; leftover != null && attempt < 50 && Files.exists(leftover); attempt++) {
                try {
                    deleteTree(leftover);
                } catch (IOException | RuntimeException e) {
                    Thread.onSpinWait();
                }
            }
            old = null;
        }

        /** Tests only: runs the shutdown hook of every write in progress, as an interruption would. */
        static void interruptAllForTests() {
            for (Interruption i : ACTIVE) {
                i.interrupt();
            }
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
