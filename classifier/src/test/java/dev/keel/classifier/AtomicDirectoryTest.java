package dev.keel.classifier;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import org.junit.jupiter.api.Assumptions;

import java.io.IOException;
import java.nio.file.attribute.PosixFileAttributeView;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The runtime's policy over nn's AtomicWrite (whose own tests cover interruptions): what may be replaced, cleanup, permissions. */
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

    @Test
    void theOutputFolderGetsOrdinaryPermissionsNotATemporaryFoldersOwnerOnlyOnes() throws IOException {
        Assumptions.assumeTrue(Files.getFileStore(dir).supportsFileAttributeView(PosixFileAttributeView.class));
        Path target = dir.resolve("out");
        AtomicDirectory.write(target, "done", "report", folder -> Files.writeString(folder.resolve("done"), "v1"));
        Path ordinary = Files.createDirectory(dir.resolve("ordinary"));
        assertEquals(Files.getPosixFilePermissions(ordinary), Files.getPosixFilePermissions(target));
    }

    private static long count(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.count();
        }
    }
}
