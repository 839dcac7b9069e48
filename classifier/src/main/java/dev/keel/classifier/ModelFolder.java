package dev.keel.classifier;

import dev.keel.nn.io.Json;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.TokenWeighting;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;

import dev.keel.text.TextFiles;

import java.io.BufferedInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.zip.CRC32C;

/**
 * A trained model's folder: {@value #MANIFEST} (format, version, labels, features, how it was
 * trained), the vocabulary ({@value #VOCABULARY}) and the parameters ({@value #PARAMETERS}).
 * Written atomically (see {@link AtomicDirectory}).
 *
 * <p>Reading trusts nothing: the manifest must be a keel manifest of a version this keel reads
 * (a newer one is refused with a message saying so), with every field of the right type and
 * range; the parameters file checks itself (a CRC-32C over data and header); and the CRC-32C of
 * the manifest and of the vocabulary, recorded in the parameters file's metadata when the model
 * is saved, must match, so a flipped bit anywhere in the folder is an error, not a silently
 * different model. Every problem is one {@link InputException} naming the folder.
 */
public final class ModelFolder {

    /** The file that marks a folder as a keel model. */
    public static final String MANIFEST = "keel-model.json";
    /** The model folder format version this keel writes and the newest it reads. */
    public static final int VERSION = 1;
    static final String FORMAT = "keel-model";
    public static final String PARAMETERS = "model.safetensors";
    public static final String VOCABULARY = "vocab.tsv";
    /** TF-IDF's document frequencies, {@code id<TAB>df} for each id some training text holds. */
    public static final String DOCUMENT_FREQUENCIES = "document_frequencies.tsv";
    /** Metadata keys in the parameters file: checksums of the other two files. */
    static final String MANIFEST_CRC_KEY = "manifest_crc32c";
    static final String VOCABULARY_CRC_KEY = "vocabulary_crc32c";
    static final String DOCUMENT_FREQUENCIES_CRC_KEY = "document_frequencies_crc32c";
    /** A manifest is a few KB; anything this large is not one (and is not read into memory). */
    static final long MAX_MANIFEST_BYTES = 1 << 20;

    /**
     * A model ready to predict: its classes, how to featurize text, the classifier, its manifest's
     * training record, and its decision rule (null: argmax).
     */
    public record TrainedModel(List<String> labels, TokenIdFeaturizer featurizer, BagOfEmbeddingsClassifier classifier,
                               Map<String, Object> training, DecisionRule decision) {

        public TrainedModel {
            if (decision != null && decision.offsets().length != labels.size()) {
                throw new IllegalArgumentException("the decision rule has " + decision.offsets().length
                        + " offsets for " + labels.size() + " classes");
            }
        }

        /** An argmax model. */
        public TrainedModel(List<String> labels, TokenIdFeaturizer featurizer, BagOfEmbeddingsClassifier classifier,
                            Map<String, Object> training) {
            this(labels, featurizer, classifier, training, null);
        }
    }

    private ModelFolder() {
    }

    public static void save(Path dir, TrainedModel model) throws IOException {
        AtomicDirectory.write(dir, MANIFEST, "model", folder -> {
            Map<String, Object> manifest = new LinkedHashMap<>();
            manifest.put("format", FORMAT);
            manifest.put("version", VERSION);
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
            TokenWeighting weighting = model.featurizer().weighting();
            if (weighting.weighs()) { // unweighted models keep the manifest they always had
                features.put("token_weights", weighting.scheme().label());
                features.put("bag_norm", weighting.norm().label());
                if (weighting.scheme() == TokenWeighting.Scheme.TFIDF) {
                    features.put("documents", weighting.documents());
                    features.put("document_frequencies", DOCUMENT_FREQUENCIES);
                    Files.writeString(folder.resolve(DOCUMENT_FREQUENCIES), documentFrequencies(weighting),
                            StandardCharsets.UTF_8);
                }
            }
            manifest.put("features", features);
            if (model.decision() != null) { // argmax models keep the manifest they always had
                manifest.put("decision", model.decision().toJson());
            }
            manifest.put("training", model.training());
            Files.writeString(folder.resolve(MANIFEST), Json.writePretty(manifest), StandardCharsets.UTF_8);
            Map<String, String> metadata = new LinkedHashMap<>();
            metadata.put("labels", Json.writeLine(model.labels()));
            metadata.put(MANIFEST_CRC_KEY, crc32c(Files.readAllBytes(folder.resolve(MANIFEST))));
            metadata.put(VOCABULARY_CRC_KEY, crc32c(Files.readAllBytes(folder.resolve(VOCABULARY))));
            if (Files.exists(folder.resolve(DOCUMENT_FREQUENCIES))) {
                metadata.put(DOCUMENT_FREQUENCIES_CRC_KEY,
                        crc32c(Files.readAllBytes(folder.resolve(DOCUMENT_FREQUENCIES))));
            }
            model.classifier().save(folder.resolve(PARAMETERS), metadata);
        });
    }

    /** Reads the model folder {@code dir}; every problem is one {@link InputException} naming it. */
    public static TrainedModel load(Path dir) {
        if (!Files.isDirectory(dir)) {
            throw new InputException("no model folder " + dir + (Files.exists(dir) ? " (it is a file)" : interruptedHint(dir)));
        }
        if (!Files.isRegularFile(dir.resolve(MANIFEST))) {
            throw new InputException(dir + " is not a keel model (no " + MANIFEST + "); make one with 'keel train'");
        }
        return load(new FolderSource(dir));
    }

    /**
     * Reads a model folder shipped as resources beside {@code anchor}, {@code folder} resolved as
     * {@link Class#getResourceAsStream} resolves names; checked as {@link #load(Path)} checks a folder.
     */
    public static TrainedModel loadResource(Class<?> anchor, String folder) {
        ResourceSource source = new ResourceSource(anchor, folder);
        if (!source.exists(MANIFEST)) {
            throw new InputException(source + " is not a keel model (no resource " + source.name(MANIFEST)
                    + " beside " + anchor.getName() + ")");
        }
        return load(source);
    }

    /** Where a model folder's files come from: a folder, or resources in a jar. */
    private interface Source {
        /** The file's bytes, at most {@code maxBytes}; a missing one is a {@link NoSuchFileException}. */
        byte[] read(String file, long maxBytes) throws IOException;

        BagOfEmbeddingsClassifier.Loaded parameters() throws IOException;

        /** The file as named in messages. */
        Path name(String file);
    }

    private record FolderSource(Path dir) implements Source {
        @Override
        public byte[] read(String file, long maxBytes) throws IOException {
            Path path = dir.resolve(file);
            long size = Files.size(path);
            if (size > maxBytes) {
                throw bad(file + " has " + size + " bytes; a keel " + file + " has at most " + maxBytes);
            }
            return Files.readAllBytes(path);
        }

        @Override
        public BagOfEmbeddingsClassifier.Loaded parameters() throws IOException {
            return BagOfEmbeddingsClassifier.load(dir.resolve(PARAMETERS));
        }

        @Override
        public Path name(String file) {
            return dir.resolve(file);
        }

        @Override
        public String toString() {
            return dir.toString();
        }
    }

    private record ResourceSource(Class<?> anchor, String folder) implements Source {
        boolean exists(String file) {
            return anchor.getResource(resource(file)) != null;
        }

        private String resource(String file) {
            return folder.endsWith("/") ? folder + file : folder + "/" + file;
        }

        private InputStream open(String file) throws IOException {
            InputStream in = anchor.getResourceAsStream(resource(file));
            if (in == null) {
                throw new NoSuchFileException(resource(file));
            }
            return in;
        }

        @Override
        public byte[] read(String file, long maxBytes) throws IOException {
            try (InputStream in = open(file)) {
                byte[] bytes = in.readNBytes((int) Math.min(maxBytes + 1, Integer.MAX_VALUE - 8));
                if (bytes.length > maxBytes) {
                    throw bad(file + " has more than " + maxBytes + " bytes; a keel " + file + " has at most that");
                }
                return bytes;
            }
        }

        @Override
        public BagOfEmbeddingsClassifier.Loaded parameters() throws IOException {
            try (InputStream in = new BufferedInputStream(open(PARAMETERS), 1 << 16)) {
                return BagOfEmbeddingsClassifier.load(in, name(PARAMETERS));
            }
        }

        @Override
        public Path name(String file) {
            return Path.of(resource(file));
        }

        @Override
        public String toString() {
            return "resource " + folder;
        }
    }

    /** The model of {@code source}: every file read once, and checked against the others. */
    private static TrainedModel load(Source source) {
        try {
            byte[] manifestBytes = source.read(MANIFEST, MAX_MANIFEST_BYTES);
            Map<?, ?> manifest = readManifest(source, manifestBytes);
            List<String> labels = labels(manifest.get("labels"));
            Map<?, ?> features = map(manifest.get("features"), "features");
            TokenIdFeaturizer.Options options;
            try {
                options = new TokenIdFeaturizer.Options(integer(features, "word_ngrams"),
                        integer(features, "char_ngram_min"), integer(features, "char_ngram_max"),
                        integer(features, "buckets"), TokenIdFeaturizer.UnknownWords.valueOf(
                                string(features, "unknown_words").toUpperCase(Locale.ROOT)));
            } catch (IllegalArgumentException e) {
                throw bad("the features in " + MANIFEST + " are not valid: " + e.getMessage());
            }
            byte[] vocabularyBytes = source.read(VOCABULARY, TextFiles.MAX_BYTES);
            String vocabularyName = source.name(VOCABULARY).toString();
            Vocabulary vocabulary = Vocabulary.parse(TextFiles.decodeStrict(vocabularyBytes, vocabularyName).toString(),
                    vocabularyName);
            BagOfEmbeddingsClassifier.Loaded loaded = source.parameters();
            checkRecordedChecksum(loaded.metadata(), MANIFEST_CRC_KEY, MANIFEST, manifestBytes);
            checkRecordedChecksum(loaded.metadata(), VOCABULARY_CRC_KEY, VOCABULARY, vocabularyBytes);
            BagOfEmbeddingsClassifier classifier = loaded.model();
            if (classifier.config().classes() != labels.size()) {
                throw bad("the parameters have " + classifier.config().classes() + " classes but " + MANIFEST
                        + " names " + labels.size());
            }
            String recordedLabels = loaded.metadata().get("labels");
            if (recordedLabels != null && !recordedLabels.equals(Json.writeLine(labels))) {
                throw bad("the labels in " + MANIFEST + " differ from those recorded in " + PARAMETERS);
            }
            TokenIdFeaturizer featurizer = new TokenIdFeaturizer(Tokenizer.standard(), vocabulary, options);
            if (featurizer.dimension() != classifier.config().buckets()) {
                throw bad(VOCABULARY + " and the features give " + featurizer.dimension()
                        + " embedding rows, but the parameters have " + classifier.config().buckets());
            }
            featurizer = featurizer.withWeighting(weighting(source, features, featurizer.dimension(), loaded.metadata()));
            Object training = manifest.get("training");
            if (training != null && !(training instanceof Map)) {
                throw bad("'training' in " + MANIFEST + " is not an object");
            }
            @SuppressWarnings("unchecked")
            Map<String, Object> trainingMap = (Map<String, Object>) training;
            return new TrainedModel(List.copyOf(labels), featurizer, classifier, trainingMap,
                    decision(manifest.get("decision"), labels.size()));
        } catch (InputException e) {
            throw e;
        } catch (NoSuchFileException e) {
            throw new InputException(source + " is not a complete keel model: " + e.getFile() + " is missing", e);
        } catch (IOException | RuntimeException e) {
            throw new InputException(source + " is not a readable keel model: " + e.getMessage(), e);
        }
    }

    /** The manifest's decision rule: null (argmax) when absent, else offsets, one per class, and the metric. */
    private static DecisionRule decision(Object value, int classes) {
        if (value == null) {
            return null;
        }
        Map<?, ?> m = map(value, "decision");
        if (!(m.get("offsets") instanceof List<?> list) || list.size() != classes) {
            throw bad("decision.offsets in " + MANIFEST + " is not a list of " + classes + " numbers");
        }
        float[] offsets = new float[classes];
        for (int c = 0; c < classes; c++) {
            if (!(list.get(c) instanceof Number number)) {
                throw bad("decision.offsets[" + c + "] in " + MANIFEST + " is " + list.get(c) + ", not a number");
            }
            offsets[c] = number.floatValue();
        }
        if (!(m.get("metric") instanceof String metric)) {
            throw bad("decision.metric in " + MANIFEST + " is " + m.get("metric") + ", not a string");
        }
        try {
            return new DecisionRule(offsets, metric);
        } catch (IllegalArgumentException e) {
            throw bad("the decision in " + MANIFEST + " is not valid: " + e.getMessage());
        }
    }

    /** {@code id<TAB>df} lines for the ids with a document frequency above 0. */
    private static String documentFrequencies(TokenWeighting weighting) {
        int[] df = weighting.documentFrequencies();
        StringBuilder out = new StringBuilder();
        for (int id = 0; id < df.length; id++) {
            if (df[id] > 0) {
                out.append(id).append('\t').append(df[id]).append('\n');
            }
        }
        return out.toString();
    }

    /** The token weighting the manifest's features name (none when they name none, as in older models). */
    private static TokenWeighting weighting(Source source, Map<?, ?> features, int dimension,
                                            Map<String, String> metadata) throws IOException {
        if (!features.containsKey("token_weights")) {
            return TokenWeighting.none();
        }
        TokenWeighting.Norm norm = label(TokenWeighting.Norm.values(), string(features, "bag_norm"), "bag_norm");
        TokenWeighting.Scheme scheme = label(TokenWeighting.Scheme.values(), string(features, "token_weights"),
                "token_weights");
        if (scheme == TokenWeighting.Scheme.UNIFORM) {
            return TokenWeighting.uniform(norm);
        }
        int documents = integer(features, "documents");
        byte[] bytes = source.read(DOCUMENT_FREQUENCIES, TextFiles.MAX_BYTES);
        checkRecordedChecksum(metadata, DOCUMENT_FREQUENCIES_CRC_KEY, DOCUMENT_FREQUENCIES, bytes);
        String name = source.name(DOCUMENT_FREQUENCIES).toString();
        String text = TextFiles.decodeStrict(bytes, name).toString();
        int[] df = new int[dimension];
        int line = 0;
        for (String row : text.split("\n", -1)) {
            line++;
            if (row.isEmpty() && line > 1 && text.endsWith("\n")) {
                continue; // the final newline
            }
            String[] fields = row.split("\t", -1);
            int id;
            int frequency;
            try {
                if (fields.length != 2) {
                    throw new NumberFormatException();
                }
                id = Integer.parseInt(fields[0]);
                frequency = Integer.parseInt(fields[1]);
            } catch (NumberFormatException e) {
                throw bad(name + " line " + line + " is not 'id<TAB>count': '"
                        + (row.length() > 60 ? row.substring(0, 60) + "..." : row) + "'");
            }
            if (id < 0 || id >= dimension || frequency < 1 || frequency > documents || df[id] != 0) {
                throw bad(name + " line " + line + ": id " + id + " with count " + frequency + " does not fit "
                        + dimension + " ids of " + documents + " texts (or repeats an id)");
            }
            df[id] = frequency;
        }
        try {
            return TokenWeighting.tfidf(documents, df, norm);
        } catch (IllegalArgumentException e) {
            throw bad("the token weights in " + MANIFEST + " are not valid: " + e.getMessage());
        }
    }

    private static <E extends Enum<E>> E label(E[] values, String label, String key) {
        for (E v : values) {
            if (v.name().toLowerCase(Locale.ROOT).equals(label)) {
                return v;
            }
        }
        throw bad("features." + key + " in " + MANIFEST + " is '" + label + "', not one of "
                + java.util.Arrays.stream(values).map(v -> v.name().toLowerCase(Locale.ROOT)).toList());
    }

    /** The manifest as a JSON object of format {@value #FORMAT} and a version this keel reads. */
    private static Map<?, ?> readManifest(Source source, byte[] bytes) {
        Object parsed;
        try {
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(bytes)).toString();
            parsed = Json.parse(text); // strict: duplicate keys, deep nesting, trailing text refused
        } catch (CharacterCodingException e) {
            throw bad(MANIFEST + " is not valid UTF-8");
        } catch (IllegalArgumentException e) {
            throw bad(MANIFEST + " is not valid JSON (" + e.getMessage() + ")");
        }
        if (!(parsed instanceof Map<?, ?> manifest) || !FORMAT.equals(manifest.get("format"))) {
            throw bad(MANIFEST + " is not a keel model manifest (no \"format\": \"" + FORMAT + "\")");
        }
        Object version = manifest.get("version");
        if (!(version instanceof Long v) || v < 1) {
            throw bad(MANIFEST + " has no valid format version (\"version\": " + version + ")");
        }
        if (v > VERSION) {
            throw new InputException(source + " was written by a newer keel (model format version " + v
                    + "; this keel reads version " + VERSION + " and older): update keel to use it");
        }
        return manifest;
    }

    /** A message for {@link #load}'s catch, which prefixes the folder. */
    private static IllegalArgumentException bad(String problem) {
        return new IllegalArgumentException(problem);
    }

    private static List<String> labels(Object value) {
        if (!(value instanceof List<?> list) || list.size() < 2) {
            throw bad("'labels' in " + MANIFEST + " is not a list of at least two class names");
        }
        List<String> labels = new ArrayList<>();
        for (Object o : list) {
            if (!(o instanceof String s) || s.isEmpty() || labels.contains(s)) {
                throw bad("'labels' in " + MANIFEST + " holds " + (o instanceof String ? "an empty or repeated" : "a non-text")
                        + " class name: " + o);
            }
            labels.add(s);
        }
        return labels;
    }

    private static Map<?, ?> map(Object value, String name) {
        if (!(value instanceof Map<?, ?> m)) {
            throw bad("'" + name + "' in " + MANIFEST + " is not an object");
        }
        return m;
    }

    private static int integer(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof Long l) || l < Integer.MIN_VALUE || l > Integer.MAX_VALUE) {
            throw bad("features." + key + " in " + MANIFEST + " is " + v + ", not an integer");
        }
        return (int) (long) l;
    }

    private static String string(Map<?, ?> m, String key) {
        Object v = m.get(key);
        if (!(v instanceof String s)) {
            throw bad("features." + key + " in " + MANIFEST + " is " + v + ", not a string");
        }
        return s;
    }

    /** Models saved before the checksums existed have none: nothing to compare then. */
    private static void checkRecordedChecksum(Map<String, String> metadata, String key, String file, byte[] bytes) {
        String recorded = metadata.get(key);
        if (recorded != null && !recorded.equals(crc32c(bytes))) {
            throw bad(file + " does not match the checksum recorded in " + PARAMETERS
                    + " (the file was changed or damaged after saving)");
        }
    }

    static String crc32c(byte[] bytes) {
        CRC32C crc = new CRC32C();
        crc.update(bytes);
        return String.format(Locale.ROOT, "%08x", crc.getValue());
    }

    /**
     * A hint when {@code dir} is missing but a previous model waits next to it: a replacement
     * stopped by a crash between its two renames (see {@link AtomicDirectory}) leaves it there.
     */
    private static String interruptedHint(Path dir) {
        Path absolute = dir.toAbsolutePath().normalize();
        Path parent = absolute.getParent();
        if (parent == null || !Files.isDirectory(parent)) {
            return "";
        }
        try (DirectoryStream<Path> olds = Files.newDirectoryStream(parent, "." + absolute.getFileName() + ".old-*")) {
            for (Path old : olds) {
                if (Files.isRegularFile(old.resolve(MANIFEST))) {
                    return " (a replacement of it was interrupted; the previous model is in " + old
                            + ": rename it back to use it)";
                }
            }
        } catch (IOException | RuntimeException e) {
            return "";
        }
        return "";
    }
}
