package dev.keel.examples;

import dev.keel.classifier.AtomicDirectory;
import dev.keel.classifier.InputException;
import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TextClassifier;
import dev.keel.core.testing.MemoryTempDir;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;

import static dev.keel.examples.CliTest.keel;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The command line's model folder on damaged input: the manifest and the vocabulary truncated at
 * every length (the parameters at every 16th), and a single-bit flip in every byte of every file
 * (bit {@code i mod 8} of byte {@code i}), each either loads a model that predicts exactly as
 * before or is one clear error naming the folder; newer format versions are refused by name.
 */
class ModelFolderTest {

    @TempDir(factory = MemoryTempDir.class)
    Path dir;

    Path model;
    float[] expected;

    static final List<String> PROBE = List.of("awful stale refund", "love this great coffee", "the box arrived", "",
            "好吃 😊 <br /> café");

    @BeforeEach
    void trainSmallModel() {
        try {
            Path train = Synthetic.csv(dir, "train.csv", 60, 1);
            model = dir.resolve("model");
            CliTest.Run run = keel("train", "--train", train.toString(), "--loss", "ce", "--epochs", "2", "--dim", "4",
                    "--buckets", "32", "--quiet", "--model", model.toString());
            assertEquals(0, run.status(), run.err());
            expected = TextClassifier.load(model).logits(PROBE);
        } catch (IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }

    /** Either the same predictions or one InputException whose message starts with the folder. */
    private boolean loadsTheSameOrFailsClearly(String what) {
        TextClassifier loaded;
        try {
            loaded = TextClassifier.load(model);
        } catch (InputException e) {
            assertTrue(e.getMessage().startsWith(model.toString()), what + ": " + e.getMessage());
            assertEquals(1, e.getMessage().lines().count(), what + ": " + e.getMessage());
            return false;
        } catch (RuntimeException e) {
            throw new AssertionError(what + ": not an InputException: " + e, e);
        }
        assertArrayEquals(expected, loaded.logits(PROBE), what + " loaded a different model");
        return true;
    }

    @Test
    void truncationsAndABitFlipInEveryByteOfEveryFile() throws IOException {
        int flips = 0;
        int rejected = 0;
        for (String name : List.of(ModelFolder.MANIFEST, ModelFolder.VOCABULARY, ModelFolder.PARAMETERS)) {
            Path file = model.resolve(name);
            byte[] original = Files.readAllBytes(file);
            // (nn's ModelFilesTest cuts a parameters file at every length; here every 16th)
            int step = name.equals(ModelFolder.PARAMETERS) ? 16 : 1;
            for (int length = 0; length < original.length; length += step) {
                Files.write(file, Arrays.copyOf(original, length));
                assertTrue(!loadsTheSameOrFailsClearly(name + " cut to " + length + " bytes"),
                        name + " cut to " + length + " bytes loaded");
            }
            for (int i = 0; i < original.length; i++) {
                byte[] flipped = original.clone();
                flipped[i] ^= (byte) (1 << (i % 8));
                Files.write(file, flipped);
                flips++;
                if (!loadsTheSameOrFailsClearly(name + " byte " + i + " bit " + i % 8)) {
                    rejected++;
                }
            }
            Files.write(file, original);
        }
        assertTrue(loadsTheSameOrFailsClearly("restored"));
        // The checksums make almost every flip an error; the rest (e.g. in a checksum's own key
        // name, or JSON whitespace turned into other whitespace) leave the model as it was.
        assertTrue(rejected > 0.95 * flips, rejected + " of " + flips + " flips rejected");
    }

    @Test
    void aNewerVersionIsRefusedByName() throws IOException {
        Path manifest = model.resolve(ModelFolder.MANIFEST);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"version\": 1", "\"version\": 7"));
        InputException e = assertThrows(InputException.class, () -> ModelFolder.load(model));
        assertEquals(model + " was written by a newer keel (model format version 7; this keel reads version 1 and "
                + "older): update keel to use it", e.getMessage());
        for (String bad : List.of("\"version\": 0", "\"version\": \"1\"", "\"version\": 1.5", "\"version\": null")) {
            Files.writeString(manifest, text.replace("\"version\": 1", bad));
            e = assertThrows(InputException.class, () -> ModelFolder.load(model), bad);
            assertTrue(e.getMessage().contains("no valid format version"), e.getMessage());
        }
    }

    @Test
    void editedFilesAreCaughtByTheRecordedChecksums() throws IOException {
        // A change that keeps every file well-formed: another n-gram length in the manifest.
        Path manifest = model.resolve(ModelFolder.MANIFEST);
        String text = Files.readString(manifest);
        Files.writeString(manifest, text.replace("\"word_ngrams\": 2", "\"word_ngrams\": 3"));
        InputException e = assertThrows(InputException.class, () -> ModelFolder.load(model));
        assertTrue(e.getMessage().contains("keel-model.json does not match the checksum recorded in model.safetensors"),
                e.getMessage());
        Files.writeString(manifest, text);
        // Two vocabulary lines swapped: a valid vocabulary that would map words to the wrong rows.
        Path vocab = model.resolve(ModelFolder.VOCABULARY);
        List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
        List<String> swapped = new java.util.ArrayList<>(lines);
        swapped.set(1, lines.get(2));
        swapped.set(2, lines.get(1));
        Files.write(vocab, swapped, StandardCharsets.UTF_8);
        e = assertThrows(InputException.class, () -> ModelFolder.load(model));
        assertTrue(e.getMessage().contains("vocab.tsv does not match the checksum"), e.getMessage());
    }

    @Test
    void aFolderFromBeforeTheChecksumsStillLoadsAndIsCheckedForConsistency() throws IOException {
        // Rewrite the parameters without the checksum keys, as keel did before they existed.
        var loaded = dev.keel.nn.BagOfEmbeddingsClassifier.load(model.resolve(ModelFolder.PARAMETERS));
        loaded.model().save(model.resolve(ModelFolder.PARAMETERS), java.util.Map.of("labels", loaded.metadata().get("labels")));
        assertTrue(loadsTheSameOrFailsClearly("without checksums"));
        // Without checksums, a vocabulary that lost its last line no longer fits the embedding table.
        Path vocab = model.resolve(ModelFolder.VOCABULARY);
        List<String> lines = Files.readAllLines(vocab, StandardCharsets.UTF_8);
        Files.write(vocab, lines.subList(0, lines.size() - 1), StandardCharsets.UTF_8);
        InputException e = assertThrows(InputException.class, () -> ModelFolder.load(model));
        assertTrue(e.getMessage().contains("embedding rows, but the parameters have"), e.getMessage());
    }

    @Test
    void aReplacementInterruptedBetweenItsRenamesPointsAtTheOldModel() throws IOException {
        // What a kill -9 between AtomicDirectory's two renames leaves: the old folder moved aside.
        Path aside = dir.resolve(".model.old-123");
        Files.move(model, aside);
        InputException e = assertThrows(InputException.class, () -> ModelFolder.load(model));
        assertTrue(e.getMessage().contains("a replacement of it was interrupted; the previous model is in " + aside),
                e.getMessage());
    }
}
