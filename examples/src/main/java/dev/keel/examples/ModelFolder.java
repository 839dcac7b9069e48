package dev.keel.examples;

import dev.keel.examples.report.Json;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * A trained model's folder: {@value #MANIFEST} (labels, features, architecture, how it was
 * trained) and the parameters. Written atomically; reading checks that the folder is a keel model.
 */
public final class ModelFolder {

    /** The file that marks a folder as a keel model. */
    public static final String MANIFEST = "keel-model.json";
    static final String FORMAT = "keel-model";
    static final String PARAMETERS = "model.safetensors";
    static final String VOCABULARY = "vocab.tsv";

    /** A model ready to predict: its classes, how to featurize text, the classifier, and its manifest. */
    public record TrainedModel(List<String> labels, TokenIdFeaturizer featurizer, BagOfEmbeddingsClassifier classifier,
                               Map<String, Object> training) {
    }

    private ModelFolder() {
    }

    public static void save(Path dir, TrainedModel model) throws IOException {
        AtomicDirectory.write(dir, MANIFEST, "model", folder -> {
            model.classifier().save(folder.resolve(PARAMETERS), Map.of("labels", Json.write(model.labels()).strip()));
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", FORMAT);
            manifest.put("version", 1);
            manifest.put("labels", model.labels());
            model.featurizer().vocabulary().save(folder.resolve(VOCABULARY));
            TokenIdFeaturizer.Options options = model.featurizer().options();
            Map<String, Object> features = new LinkedHashMap<>();
            features.put("tokenizer", "standard");
            features.put("vocabulary", VOCABULARY);
            features.put("word_ngrams", options.wordNgrams());
            features.put("char_ngram_min", options.charNgramMin());
            features.put("char_ngram_max", options.charNgramMax());
            features.put("buckets", options.buckets());
            features.put("unknown_words", options.unknownWords().name());
            manifest.put("features", features);
            manifest.put("training", model.training());
            Files.writeString(folder.resolve(MANIFEST), Json.write(manifest), StandardCharsets.UTF_8);
        });
    }

    public static TrainedModel load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("no model folder " + dir + (Files.exists(dir) ? " (it is a file)" : ""));
        }
        Path manifestFile = dir.resolve(MANIFEST);
        if (!Files.isRegularFile(manifestFile)) {
            throw new InputException(dir + " is not a keel model (no " + MANIFEST + "); make one with 'keel train'");
        }
        try {
            Object parsed = Json.parse(Files.readString(manifestFile, StandardCharsets.UTF_8));
            if (!(parsed instanceof Map<?, ?> manifest) || !FORMAT.equals(manifest.get("format"))) {
                throw new InputException(manifestFile + " is not a keel model manifest");
            }
            List<String> labels = new ArrayList<>();
            for (Object o : (List<?>) manifest.get("labels")) {
                labels.add((String) o);
            }
            Map<?, ?> features = (Map<?, ?>) manifest.get("features");
            TokenIdFeaturizer.Options options = new TokenIdFeaturizer.Options(
                    ((Number) features.get("word_ngrams")).intValue(), ((Number) features.get("char_ngram_min")).intValue(),
                    ((Number) features.get("char_ngram_max")).intValue(), ((Number) features.get("buckets")).intValue(),
                    TokenIdFeaturizer.UnknownWords.valueOf((String) features.get("unknown_words")));
            TokenIdFeaturizer featurizer = new TokenIdFeaturizer(Tokenizer.standard(),
                    Vocabulary.load(dir.resolve(VOCABULARY)), options);
            BagOfEmbeddingsClassifier classifier = BagOfEmbeddingsClassifier.load(dir.resolve(PARAMETERS)).model();
            if (classifier.config().classes() != labels.size()) {
                throw new InputException(dir + ": the parameters have " + classifier.config().classes()
                        + " classes but the manifest names " + labels.size());
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> training = (Map<String, Object>) manifest.get("training");
            return new TrainedModel(List.copyOf(labels), featurizer, classifier, training);
        } catch (InputException e) {
            throw e;
        } catch (IOException | RuntimeException e) {
            throw new InputException(dir + " is not a readable keel model: " + e.getMessage(), e);
        }
    }
}
