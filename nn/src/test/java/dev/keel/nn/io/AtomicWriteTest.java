package dev.keel.nn.io;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFileAttributeView;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** keel's one atomic writer, for files and folders: whole or nothing, also when interrupted. */
class AtomicWriteTest {

    @TempDir
    Path dir;

    @Test
    void aFileIsReplacedWholeOrNotAtAll() throws IOException {
        Path target = dir.resolve("m.bin");
        AtomicWrite.file(target, temp -> Files.writeString(temp, "v1"));
        assertThrows(IOException.class, () -> AtomicWrite.file(target, temp -> {
            Files.writeString(temp, "half");
            throw new IOException("disk full");
        }));
        assertEquals("v1", Files.readString(target));
        AtomicWrite.file(target, temp -> Files.writeString(temp, "v2"));
        assertEquals("v2", Files.readString(target));
        assertEquals(1, count(dir), "only the target, no temporary files");
    }

    @Test
    void anInterruptedFileWriteLeavesThePreviousFile() throws Exception {
        Path target = dir.resolve("m.bin");
        AtomicWrite.file(target, temp -> Files.writeString(temp, "v1"));
        assertThrows(java.io.InterruptedIOException.class, () -> AtomicWrite.file(target, temp -> {
            Files.writeString(temp, "partial");
            AtomicWrite.Interruption.interruptAllForTests(); // what the shutdown hook does
        }));
        assertEquals("v1", Files.readString(target));
        assertEquals(1, count(dir), "only the target, no temporary files");
    }

    @Test
    void filesAndFoldersGetOrdinaryPermissions() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path file = dir.resolve("f");
        AtomicWrite.file(file, temp -> Files.writeString(temp, "x"));
        assertEquals(Files.getPosixFilePermissions(Files.writeString(dir.resolve("ordinary"), "y")),
                Files.getPosixFilePermissions(file));
        Path folder = dir.resolve("d");
        AtomicWrite.folder(folder, temp -> Files.writeString(temp.resolve("x"), "x"));
        assertEquals(Files.getPosixFilePermissions(Files.createDirectory(dir.resolve("ordinary-folder"))),
                Files.getPosixFilePermissions(folder));
    }

    /** Ctrl-C while the folder is being written: the hook removes the temporary folder, the old one stays. */
    @Test
    void anInterruptionWhileWritingLeavesThePreviousOutputAndNoTemporaryFolder() throws Exception {
        Path target = dir.resolve("out");
        AtomicWrite.folder(target, folder -> Files.writeString(folder.resolve("done"), "v1"));
        CountDownLatch writing = new CountDownLatch(1);
        CountDownLatch interrupted = new CountDownLatch(1);
        ExecutorService pool = Executors.newSingleThreadExecutor();
        try {
            Future<?> write = pool.submit(() -> {
                AtomicWrite.folder(target, folder -> {
                    Files.writeString(folder.resolve("half.txt"), "partial");
                    writing.countDown();
                    await(interrupted);
                    Files.writeString(folder.resolve("done"), "v2"); // the folder is gone: this fails
                });
                return null;
            });
            writing.await();
            AtomicWrite.Interruption.interruptAllForTests(); // what the shutdown hook does
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
        AtomicWrite.folder(target, folder -> Files.writeString(folder.resolve("done"), "v1"));
        AtomicWrite.Interruption interruption = new AtomicWrite.Interruption(dir.resolve("unused"));
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
        assertThrows(java.io.InterruptedIOException.class, () -> interruption.commit(() -> {
            throw new AssertionError("renamed after an interruption");
        }));
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
