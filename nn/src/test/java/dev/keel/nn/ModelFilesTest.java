package dev.keel.nn;

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
                model.trainStep(b.ids(), b.offsets(), b.size(), b.targets(),
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
            model.predictProba(test.ids(), test.offsets(), 30, p1);
            loaded.model().predictProba(test.ids(), test.offsets(), 30, p2);
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
}
