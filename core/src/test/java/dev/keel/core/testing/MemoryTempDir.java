package dev.keel.core.testing;

import org.junit.jupiter.api.extension.AnnotatedElementContext;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.io.TempDirFactory;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * A {@code @TempDir} in memory ({@code /dev/shm}) where the machine has one, for tests that write
 * thousands of small files (a bit-flip sweep): a disk shared with other builds can take
 * milliseconds per write. Elsewhere the default temporary folder.
 */
public final class MemoryTempDir implements TempDirFactory {

    @Override
    public Path createTempDirectory(AnnotatedElementContext element, ExtensionContext extension) throws IOException {
        Path shm = Path.of("/dev/shm");
        if (Files.isDirectory(shm) && Files.isWritable(shm)) {
            return Files.createTempDirectory(shm, "keel-test-");
        }
        return Files.createTempDirectory("keel-test-");
    }
}
