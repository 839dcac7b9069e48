package dev.keel.examples;

import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TextClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * {@code keel train} interrupted with SIGINT (Ctrl-C) in a child JVM, while it trains a new model
 * into a folder that holds a previous one: the previous model stays, byte for byte and loadable,
 * nothing partial is left next to it, and stderr says what happened in one line. (An interruption
 * while the folder is being written is covered by {@code AtomicDirectoryTest}: its timing cannot
 * be hit reliably from outside.)
 */
class InterruptTest {

    @TempDir
    Path dir;

    @Test
    void sigintDuringTrainingLeavesThePreviousModelIntact() throws Exception {
        Path model = CliTest.trainTinyModel(dir, 150);
        Path train = dir.resolve("train.csv");
        Map<String, byte[]> before = contents(model);
        float[] predictions = TextClassifier.load(model).logits(List.of("great coffee", "stale refund"));

        // Far more epochs than it can finish; --debug makes it log the kernel choice as training starts.
        Process child = ChildJvm.keel(dir, List.of(), "train", "--train", train.toString(), "--loss", "ce", "--epochs",
                "1000000", "--dim", "8", "--buckets", "4096", "--debug", "--model", model.toString());
        try {
            Path err = dir.resolve("child.err");
            long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
            while (!Files.readString(err).contains("keel kernels:") && child.isAlive() && System.nanoTime() < deadline) {
                Thread.sleep(20);
            }
            assertTrue(child.isAlive(), "the child is training: " + Files.readString(err));
            Thread.sleep(300); // well into the epochs
            sigint(child);
            if (!child.waitFor(10, TimeUnit.SECONDS)) {
                // SIGINT is ignored where the test runner was started without job control (a
                // background job): SIGTERM runs the same shutdown hooks.
                child.destroy();
            }
            assertTrue(child.waitFor(30, TimeUnit.SECONDS), "the child ends on SIGINT or SIGTERM");
            assertTrue(child.exitValue() == 130 || child.exitValue() == 143, "exit status " + child.exitValue());
            List<String> lines = Files.readAllLines(err).stream().filter(l -> l.startsWith("keel:")).toList();
            assertEquals(List.of("keel: interrupted; nothing unfinished was saved (model and report folders are written "
                    + "whole or not at all)"), lines);
        } finally {
            child.destroyForcibly();
        }
        Map<String, byte[]> after = contents(model);
        assertEquals(before.keySet(), after.keySet());
        for (String file : before.keySet()) {
            assertArrayEquals(before.get(file), after.get(file), file);
        }
        assertArrayEquals(predictions, TextClassifier.load(model).logits(List.of("great coffee", "stale refund")));
        try (Stream<Path> left = Files.list(dir)) {
            assertTrue(left.noneMatch(p -> p.getFileName().toString().startsWith(".")), "no temporary folders left");
        }
    }

    /** SIGINT as Ctrl-C sends it; where there is no {@code kill} command, the JDK's destroy (SIGTERM on POSIX). */
    private static void sigint(Process child) throws InterruptedException {
        try {
            Process kill = new ProcessBuilder("kill", "-INT", Long.toString(child.pid())).start();
            if (kill.waitFor(10, TimeUnit.SECONDS) && kill.exitValue() == 0) {
                return;
            }
        } catch (IOException noKillCommand) {
            // fall through
        }
        child.destroy();
    }

    private static Map<String, byte[]> contents(Path folder) throws IOException {
        Map<String, byte[]> files = new TreeMap<>();
        try (Stream<Path> list = Files.list(folder)) {
            for (Path p : (Iterable<Path>) list::iterator) {
                files.put(p.getFileName().toString(), Files.readAllBytes(p));
            }
        }
        return files;
    }
}
