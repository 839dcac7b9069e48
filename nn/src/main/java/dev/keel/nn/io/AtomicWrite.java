package dev.keel.nn.io;

import java.io.IOException;
import java.io.InterruptedIOException;
import java.nio.channels.FileChannel;
import java.nio.file.AtomicMoveNotSupportedException;
import java.nio.file.FileAlreadyExistsException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.util.Comparator;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.stream.Stream;

/**
 * keel's one way of writing output whole or not at all, for a file (a model's parameters) and for a
 * folder (a model folder, a report): the contents go into a hidden sibling of the target, created
 * with the permissions any new file or folder gets (the umask's, not a temporary file's owner-only
 * ones), which replaces the target by a rename only once it is complete. A failure removes the
 * sibling and leaves the target as it was; so does an interruption (Ctrl-C, {@code kill}: the JVM
 * runs its shutdown hooks), see {@link Interruption}. Whether a target may be replaced at all is the
 * caller's decision.
 */
public final class AtomicWrite {

    /** Writes the contents into {@code temp}: an empty file, or an empty folder. */
    public interface Contents {
        void write(Path temp) throws IOException;
    }

    private AtomicWrite() {
    }

    /**
     * Writes the file {@code target}: {@code contents} fills an empty sibling file (and forces it to
     * disk, e.g. {@link FileChannel#force}), which is then renamed over the target.
     */
    public static void file(Path target, Contents contents) throws IOException {
        Path absolute = target.toAbsolutePath();
        Path dir = absolute.getParent();
        Path temp = createHiddenSibling(dir, "." + absolute.getFileName() + ".", ".tmp", false);
        publish(temp, contents, () -> {
            try {
                Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE, StandardCopyOption.REPLACE_EXISTING);
            } catch (AtomicMoveNotSupportedException e) {
                throw new ModelFileException(absolute, "cannot replace the file atomically on this file system", e);
            }
            return null;
        });
        syncDirectory(dir);
    }

    /**
     * Writes the folder {@code target} (its parent must exist): {@code contents} fills an empty
     * sibling folder, which then replaces the target by renames, an existing one moved aside first and
     * deleted after. A target that appears meanwhile is a {@link FileAlreadyExistsException}.
     */
    public static void folder(Path target, Contents contents) throws IOException {
        Path absolute = target.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        String name = absolute.getFileName().toString();
        Path temp = createHiddenSibling(parent, "." + name + ".tmp-", "", true);
        publish(temp, contents, () -> {
            if (Files.exists(absolute)) {
                Path old = createHiddenSibling(parent, "." + name + ".old-", "", true);
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
            Files.move(temp, absolute, StandardCopyOption.ATOMIC_MOVE);
            return null;
        });
        syncDirectory(parent);
    }

    /** Writes {@code temp}, then runs the renames under the interruption guard; cleans up on any failure. */
    private static void publish(Path temp, Contents contents, Commit renames) throws IOException {
        Interruption interruption = new Interruption(temp);
        try {
            interruption.register();
            contents.write(temp);
            interruption.commit(renames);
            interruption.deleteOld();
        } catch (IOException | RuntimeException | Error e) {
            deleteTree(temp);
            throw e;
        } finally {
            interruption.unregister();
        }
    }

    /** A new, empty {@code dir/prefix<random>suffix}, a folder or a file, with ordinary permissions. */
    private static Path createHiddenSibling(Path dir, String prefix, String suffix, boolean folder)
            throws IOException {
        for (int attempt = 0; ; attempt++) {
            Path path = dir.resolve(prefix + Long.toUnsignedString(ThreadLocalRandom.current().nextLong(), 36) + suffix);
            try {
                if (folder) {
                    return Files.createDirectory(path);
                }
                Files.newByteChannel(path, StandardOpenOption.WRITE, StandardOpenOption.CREATE_NEW).close();
                return path;
            } catch (FileAlreadyExistsException e) {
                if (attempt == 100) {
                    throw e;
                }
            }
        }
    }

    /** Makes a rename durable where the platform allows it; best effort elsewhere (the rename is atomic anyway). */
    private static void syncDirectory(Path dir) {
        try (FileChannel d = FileChannel.open(dir, StandardOpenOption.READ)) {
            d.force(true);
        } catch (IOException | UnsupportedOperationException ignored) {
            // not supported on every OS (Windows)
        }
    }

    /** Deletes a file, or a folder and everything in it; missing is fine. */
    public static void deleteTree(Path path) throws IOException {
        if (!Files.exists(path)) {
            return;
        }
        try (Stream<Path> paths = Files.walk(path)) {
            for (Path p : (Iterable<Path>) paths.sorted(Comparator.reverseOrder())::iterator) {
                Files.deleteIfExists(p);
            }
        }
    }

    /** The renames that put a finished file or folder in place; returns the replaced folder, moved aside, or null. */
    interface Commit {
        Path run() throws IOException;
    }

    /**
     * Keeps an interrupted write from leaving anything behind: a shutdown hook deletes the temporary
     * sibling, or, if the renames already ran, the replaced folder moved aside. The renames run under a
     * lock the hook takes too, so an interruption never falls between them (the target would be
     * missing); a hook that comes first marks the write aborted, and it then renames nothing
     * ({@link InterruptedIOException}). A hard kill ({@code kill -9}, power loss) runs no hooks: the
     * target is then the old one or the new one, except, for a folder, in the instant between the two
     * renames.
     */
    static final class Interruption {

        /** Writes in progress in this JVM (tests interrupt them without ending the JVM). */
        private static final Set<Interruption> ACTIVE = ConcurrentHashMap.newKeySet();

        private final Path temp;
        private final Thread hook = new Thread(this::interrupt, "keel-atomic-write-cleanup");
        private boolean aborted;
        private boolean committed;
        private Path old;

        Interruption(Path temp) {
            this.temp = temp;
        }

        void register() throws InterruptedIOException {
            ACTIVE.add(this);
            try {
                Runtime.getRuntime().addShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                ACTIVE.remove(this);
                InterruptedIOException e = new InterruptedIOException("keel is shutting down; nothing was written");
                e.initCause(shuttingDown);
                throw e;
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
                throw new InterruptedIOException("interrupted; nothing was written");
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
}
