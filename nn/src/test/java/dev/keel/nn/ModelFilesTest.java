package dev.keel.nn;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.nn.BagOfEmbeddingsClassifier.Config;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.io.ModelFileException;
import dev.keel.nn.io.ModuleFiles;
import dev.keel.nn.io.SafeTensors;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.testing.TestLosses;
import dev.keel.nn.testing.ToyText;
import dev.keel.nn.testing.ToyText.Batch;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class ModelFilesTest {

    @TempDir
    Path dir;

    @Test
    void classifierRoundTripIsBitExactWithConfigAndMetadata() throws IOException {
        for (Config c : new Config[] {new Config(300, 8, 6, 3, 0.25f, 1), new Config(300, 8, 0, 1, 2)}) {
            BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
            Adam adam = new Adam(model.parameters(), 0.05);
            KeelRandom data = new KeelRandom(3);
            for (int s = 0; s < 20; s++) {
                Batch b = ToyText.batch(data, 8, c.classes(), 300, 6);
                model.trainStep(b.bags(), b.targets(),
                        c.classes() == 1 ? TestLosses.binaryCrossEntropy() : TestLosses.crossEntropy(), adam);
            }
            Path file = dir.resolve("model.safetensors");
            Map<String, String> meta = new LinkedHashMap<>();
            meta.put("labels", "[\"great\",\"other\"]");
            model.save(file, meta);

            BagOfEmbeddingsClassifier.Loaded loaded = BagOfEmbeddingsClassifier.load(file);
            assertEquals(c, loaded.model().config());
            assertEquals(meta, loaded.metadata());
            Map<String, Parameter> a = model.namedParameters(), b = loaded.model().namedParameters();
            assertEquals(a.keySet(), b.keySet());
            for (String name : a.keySet()) {
                float[] x = a.get(name).data().toArray(), y = b.get(name).data().toArray();
                for (int i = 0; i < x.length; i++) {
                    assertEquals(Float.floatToRawIntBits(x[i]), Float.floatToRawIntBits(y[i]), name + " " + i);
                }
            }
            Batch test = ToyText.batch(new KeelRandom(4), 30, c.classes(), 300, 6);
            int cols = model.probabilityColumns();
            float[] p1 = new float[30 * cols], p2 = new float[30 * cols];
            model.predictProba(new IdBags(test.ids(), test.offsets(), 30, 0), p1);
            loaded.model().predictProba(new IdBags(test.ids(), test.offsets(), 30, 0), p2);
            assertArrayEquals(p1, p2);
        }
    }

    @Test
    void notAClassifierOrAMismatchedOneIsAClearError() throws IOException {
        Path plain = dir.resolve("plain.safetensors");
        SafeTensors.write(plain, Map.of("w", Tensor.zeros(2)), Map.of());
        ModelFileException e = assertThrows(ModelFileException.class, () -> BagOfEmbeddingsClassifier.load(plain));
        assertTrue(e.getMessage().contains(plain.toString()) && e.getMessage().contains("not a keel classifier"),
                e.getMessage());

        // the right architecture tag, but a config that disagrees with the tensors
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(new Config(50, 4, 0, 2, 5));
        Map<String, Tensor> tensors = new LinkedHashMap<>();
        model.namedParameters().forEach((k, v) -> tensors.put(k, v.data()));
        Map<String, String> meta = new LinkedHashMap<>();
        meta.put(BagOfEmbeddingsClassifier.ARCHITECTURE_KEY, BagOfEmbeddingsClassifier.ARCHITECTURE);
        meta.put(BagOfEmbeddingsClassifier.CONFIG_KEY, new Config(50, 5, 0, 2, 5).toJson());
        Path mismatched = dir.resolve("mismatched.safetensors");
        SafeTensors.write(mismatched, tensors, meta);
        e = assertThrows(ModelFileException.class, () -> BagOfEmbeddingsClassifier.load(mismatched));
        assertTrue(e.getMessage().contains("embedding.weight") && e.getMessage().contains("[50, 4]"), e.getMessage());

        meta.put(BagOfEmbeddingsClassifier.CONFIG_KEY, "{\"dim\": 4}");
        SafeTensors.write(mismatched, tensors, meta);
        e = assertThrows(ModelFileException.class, () -> BagOfEmbeddingsClassifier.load(mismatched));
        assertTrue(e.getMessage().contains("bad keel.config"), e.getMessage());

        assertThrows(IllegalArgumentException.class, () -> model.save(dir.resolve("x"), Map.of("keel.labels", "a")));
    }

    @Test
    void anyModuleSavesAndLoadsByParameterName() throws IOException {
        KeelRandom r = new KeelRandom(6);
        Sequential a = new Sequential(new Linear(3, 4, r), new ReLU(), new Linear(4, 2, r));
        Sequential b = new Sequential(new Linear(3, 4, r), new ReLU(), new Linear(4, 2, r));
        Path file = dir.resolve("mlp.safetensors");
        ModuleFiles.save(a, file, Map.of("task", "xor"));
        assertEquals("xor", ModuleFiles.load(b, file).get("task"));
        for (String name : a.namedParameters().keySet()) {
            assertArrayEquals(a.namedParameters().get(name).data().toArray(),
                    b.namedParameters().get(name).data().toArray(), name);
        }
        Sequential other = new Sequential(new Linear(3, 5, r));
        ModelFileException e = assertThrows(ModelFileException.class, () -> ModuleFiles.load(other, file));
        assertTrue(e.getMessage().contains("unexpected [2.bias, 2.weight]"), e.getMessage());
    }

    @Test
    void configJsonRoundTrips() {
        Config c = new Config(200_000, 64, 0, 10, 0.125f, -42);
        assertEquals(c, Config.fromJson(c.toJson()));
        assertThrows(IllegalArgumentException.class, () -> Config.fromJson("{\"buckets\": 1}"));
        assertThrows(IllegalArgumentException.class, () -> Config.fromJson(
                "{\"buckets\":1,\"dim\":2,\"hidden\":0,\"classes\":2,\"dropout\":1.5,\"seed\":1}"));
    }

    // ---------------------------------------------------------------- a saved classifier, corrupted

    /**
     * A small trained classifier's file (1,092 bytes): every truncation and every single-bit flip.
     * The file does not depend on the kernel path, so the scalar pass leaves this out (it takes a
     * few seconds: a file written and read per flip).
     */
    @Test
    void everyTruncationAndBitFlipOfASavedClassifierIsAnErrorOrTheSameModel(
            @TempDir(factory = dev.keel.core.testing.MemoryTempDir.class) Path dir) throws IOException {
        org.junit.jupiter.api.Assumptions.assumeFalse("false".equals(System.getProperty("keel.simd")),
                "the default test pass covers it");
        Config c = new Config(24, 4, 3, 3, 0.0f, 91);
        BagOfEmbeddingsClassifier model = new BagOfEmbeddingsClassifier(c);
        Adam adam = new Adam(model.parameters(), 0.05);
        KeelRandom data = new KeelRandom(92);
        for (int s = 0; s < 10; s++) {
            Batch b = ToyText.batch(data, 8, 3, c.buckets(), 5);
            model.trainStep(b.bags(), b.targets(), TestLosses.crossEntropy(), adam);
        }
        Path file = dir.resolve("model.safetensors");
        model.save(file, Map.of("labels", "[\"a\",\"b\",\"c\"]"));
        byte[] bytes = java.nio.file.Files.readAllBytes(file);
        Batch probe = ToyText.batch(new KeelRandom(93), 40, 3, c.buckets(), 6);
        float[] expected = new float[40 * 3];
        model.eval();
        model.predictProba(new IdBags(probe.ids(), probe.offsets(), 40, 0), expected);

        Path corrupt = dir.resolve("corrupt.safetensors");
        for (int length = 0; length < bytes.length; length++) {
            java.nio.file.Files.write(corrupt, java.util.Arrays.copyOf(bytes, length));
            ModelFileException e = assertThrows(ModelFileException.class, () -> BagOfEmbeddingsClassifier.load(corrupt),
                    "cut to " + length + " bytes");
            assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
        }
        int rejected = 0;
        int identical = 0;
        for (int i = 0; i < bytes.length; i++) {
            for (int bit = 0; bit < 8; bit++) {
                byte[] flipped = bytes.clone();
                flipped[i] ^= (byte) (1 << bit);
                java.nio.file.Files.write(corrupt, flipped);
                BagOfEmbeddingsClassifier.Loaded loaded;
                try {
                    loaded = BagOfEmbeddingsClassifier.load(corrupt);
                } catch (ModelFileException e) {
                    assertTrue(e.getMessage().startsWith(corrupt.toString()), e.getMessage());
                    rejected++;
                    continue;
                } catch (RuntimeException e) {
                    throw new AssertionError("byte " + i + " bit " + bit + ": not a ModelFileException: " + e, e);
                }
                float[] actual = new float[40 * 3];
                loaded.model().predictProba(new IdBags(probe.ids(), probe.offsets(), 40, 0), actual);
                assertArrayEquals(expected, actual, "byte " + i + " bit " + bit + " loaded a different model");
                identical++;
            }
        }
        assertEquals(8 * bytes.length, rejected + identical);
        // Only flips in what carries no meaning may load (e.g. the checksum's own key name: the file
        // then reads as one without a checksum, with every tensor intact).
        assertTrue(rejected > 0.95 * 8 * bytes.length, rejected + " rejected, " + identical + " identical");
    }
}
