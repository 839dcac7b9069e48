package dev.keel.examples;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Optional;

import static org.junit.jupiter.api.Assertions.assertEquals;

class RepositoryFilesTest {

    @TempDir
    Path dir;

    @Test
    void findsTheNearestMatchWalkingUp() throws IOException {
        Path target = Files.createDirectories(dir.resolve("shared/data")).resolve("x.csv");
        Files.writeString(target, "text,label\n");
        Path deep = Files.createDirectories(dir.resolve("work/wt/text/text"));
        assertEquals(Optional.of(target), RepositoryFiles.findUp(deep, "shared/data/x.csv"));
        assertEquals(Optional.empty(), RepositoryFiles.findUp(deep, "shared/data/none.csv"));
        Path nearer = Files.createDirectories(dir.resolve("work/shared/data")).resolve("x.csv");
        Files.writeString(nearer, "");
        assertEquals(Optional.of(nearer), RepositoryFiles.findUp(deep, "shared/data/x.csv"));
    }
}
