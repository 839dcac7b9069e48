package dev.keel.classifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class AtomicDirectoryTest {

    @TempDir
    Path dir;

    @Test
    void aFailingWriterLeavesNothingAndKeepsThePreviousOutput() throws IOException {
        Path target = dir.resolve("out");
        assertThrows(IllegalStateException.class, () -> AtomicDirectory.write(target, "done", "report", folder -> {
            Files.writeString(folder.resolve("half.txt"), "partial");
            throw new IllegalStateException("boom");
        }));
        assertFalse(Files.exists(target));
        assertEquals(0, count(dir));

        AtomicDirectory.write(target, "done", "report", folder -> Files.writeString(folder.resolve("done"), "v1"));
        assertThrows(IOException.class, () -> AtomicDirectory.write(target, "done", "report", folder -> {
            throw new IOException("disk full");
        }));
        assertEquals("v1", Files.readString(target.resolve("done")));
        AtomicDirectory.write(target, "done", "report", folder -> Files.writeString(folder.resolve("done"), "v2"));
        assertEquals("v2", Files.readString(target.resolve("done")));
        assertEquals(1, count(dir), "only the target, no temporary folders");
    }

    @Test
    void refusesToReplaceAFolderThatIsNotItsKind() throws IOException {
        Path theirs = Files.createDirectories(dir.resolve("theirs"));
        Files.writeString(theirs.resolve("thesis.tex"), "x");
        assertThrows(InputException.class, () -> AtomicDirectory.write(theirs, "done", "report",
                folder -> Files.writeString(folder.resolve("done"), "v1")));
        assertEquals("x", Files.readString(theirs.resolve("thesis.tex")));
        Path file = Files.writeString(dir.resolve("file"), "y");
        assertThrows(InputException.class, () -> AtomicDirectory.checkReplaceable(file, "done", "report"));
    }

    /** Ctrl-C while the folder is being written: the hook removes the temporary folder, the old one stays. */
    @Test
    void anInterruptionWhileWritingLeavesThePreviousOutputAndNoTemporaryFolder() throws Exception {
        Path target = dir.resolve("out");
        AtomicDirectory.write(target, "done", "report", folder -> Files.writeString(folder.resolve("done"), "v1"));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> write = pool.submit(() -> {
                AtomicDirectory.write(target, "done", "report", folder -> {
                    Files.writeString(folder.resolve("half.txt"), "partial");
                    writing.countDown();
                    await(interrupted);
                    Files.writeString(folder.resolve("done"), "v2"); // the folder is gone: this fails
                });
                return null;
            });
            writing.await();
            AtomicDirectory.Interruption.interruptAllForTests(); // what the shutdown hook does
            interrupted.countDown();
            ExecutionException e = assertThrows(ExecutionException.class, write::get);
            assertTrue(e.getCause() instanceof IOException, e.getCause().toString());
        } finally {
            pool.shutdownNow();
        }
        assertEquals("v1", Files.readString(target.resolve("done")));
        assertEquals(1, count(dir), "only the target, no temporary folders");
    }

    /** An interruption after the renames: the new folder is in place and the old one, moved aside, is removed. */
    @Test
    void anInterruptionAfterTheRenamesKeepsTheNewOutput() throws Exception {
        Path target = dir.resolve("out");
        AtomicDirectory.write(target, "done", "report", folder -> Files.writeString(folder.resolve("done"), "v1"));
        AtomicDirectory.Interruption interruption = new AtomicDirectory.Interruption(dir.resolve("unused"));
        Path aside = dir.resolve(".out.old-1");
        interruption.commit(() -> {
            Files.move(target, aside);
            Files.createDirectory(target);
            Files.writeString(target.resolve("done"), "v2");
            return aside;
        });
        interruption.interrupt();
        assertEquals("v2", Files.readString(target.resolve("done")));
        assertFalse(Files.exists(aside), "the replaced folder is removed");
        // a write that comes after the interruption renames nothing
        assertThrows(InputException.class, () -> interruption.commit(() -> {
            throw new AssertionError("renamed after an interruption");
        }));
    }

    @Test
    void theOutputFolderGetsOrdinaryPermissionsNotATemporaryFoldersOwnerOnlyOnes() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path target = dir.resolve("out");
        AtomicDirectory.write(target, "done", "report", folder -> Files.writeString(folder.resolve("done"), "v1"));
        Path ordinary = Files.createDirectory(dir.resolve("ordinary"));
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(target));
    }

    private static void await(CountDownLatch latch) {
        try {
            latch.await();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
