package dev.keel.examples;

import dev.keel.classifier.LossHook;
import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TrainingRun;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;

import static dev.keel.examples.CliTest.keel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The same seed and data give bit-identical model folders, run after run, on each kernel path
 * (in this JVM, the vector path where the module is present, and in a child JVM forced to the
 * scalar path) and with any number of training threads.
 */
class ReproducibilityTest {

    @TempDir
    Path dir;

    private String[] trainArgs(Path train, Path valid, Path model) {
        return new String[] {"train", "--train", train.toString(), "--valid", valid.toString(), "--loss", "focal",
            "--epochs", "4", "--dim", "8", "--hidden", "5", "--buckets", "512", "--lr", "0.05", "--batch", "16",
            "--seed", "7", "--quiet", "--model", model.toString()};
    }

    @Test
    void twoRunsGiveIdenticalFilesOnThisJvmsPath() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 150, 1);
        Path valid = Synthetic.csv(dir, "valid.csv", 30, 2);
        for (String run : List.of("a", "b")) {
            CliTest.Run r = keel(trainArgs(train, valid, dir.resolve(run)));
            assertEquals(0, r.status(), r.err());
        }
        assertSameFiles(dir.resolve("a"), dir.resolve("b"));
    }

    @Test
    void twoRunsGiveIdenticalFilesOnTheScalarPath() throws Exception {
        Path train = Synthetic.csv(dir, "train.csv", 150, 1);
        Path valid = Synthetic.csv(dir, "valid.csv", 30, 2);
        for (String run : List.of("s1", "s2")) {
            Process child = ChildJvm.keel(dir, List.of("-Dkeel.simd=false"), trainArgs(train, valid, dir.resolve(run)));
            try {
                assertTrue(child.waitFor(60, TimeUnit.SECONDS), "the child JVM finishes");
                assertEquals(0, child.exitValue(), Files.readString(dir.resolve("child.err")));
            } finally {
                child.destroyForcibly();
            }
        }
        assertSameFiles(dir.resolve("s1"), dir.resolve("s2"));
    }

    @Test
    void anyNumberOfThreadsGivesIdenticalFiles() throws IOException {
        // batches of 64 texts: more than one chunk of texts and of table rows for each thread
        Path train = Synthetic.csv(dir, "train.csv", 300, 3);
        Path valid = Synthetic.csv(dir, "valid.csv", 30, 4);
        for (String threads : List.of("1", "2", "3")) {
            String[] args = trainArgs(train, valid, dir.resolve("t" + threads));
            List<String> withThreads = new ArrayList<>(List.of(args));
            withThreads.set(withThreads.indexOf("--batch") + 1, "64");
            withThreads.addAll(List.of("--threads", threads));
            // the option reaches a worker pool: its last worker thread is alive while the loss runs
            String lastWorker = "keel-worker-" + (Integer.parseInt(threads) - 1);
            AtomicBoolean workerSeen = new AtomicBoolean();
            LossHook.set(loss -> (logits, rows, classes, targets, grad) -> {
                if (!workerSeen.get()) {
                    workerSeen.set(Thread.getAllStackTraces().keySet().stream()
                            .anyMatch(t -> t.getName().equals(lastWorker)));
                }
                return loss.compute(logits, rows, classes, targets, grad);
            });
            try {
                CliTest.Run r = keel(withThreads.toArray(new String[0]));
                assertEquals(0, r.status(), r.err());
            } finally {
                LossHook.set(null);
            }
            assertEquals(!threads.equals("1"), workerSeen.get(), "a thread " + lastWorker + " during training");
        }
        assertSameFiles(dir.resolve("t1"), dir.resolve("t2"));
        assertSameFiles(dir.resolve("t1"), dir.resolve("t3"));
    }

    private static void assertSameFiles(Path a, Path b) throws IOException {
        for (String file : List.of(ModelFolder.MANIFEST, ModelFolder.VOCABULARY, ModelFolder.PARAMETERS)) {
            assertArrayEquals(Files.readAllBytes(a.resolve(file)), Files.readAllBytes(b.resolve(file)), file);
        }
        try (var files = Files.list(a)) {
            assertEquals(3, files.count(), "nothing else in the folder");
        }
    }
}
