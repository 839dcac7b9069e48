package dev.keel.nn;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.autograd.BagMode;
import dev.keel.nn.autograd.Functional;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.autograd.Value;
import dev.keel.nn.io.Json;
import dev.keel.nn.io.ModelFileException;
import dev.keel.nn.io.ModuleFiles;
import dev.keel.nn.io.SafeTensors;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.ops.BagOps;
import dev.keel.nn.ops.DenseOps;
import dev.keel.nn.ops.ElementOps;
import dev.keel.nn.optim.Optimizer;

import java.io.IOException;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * The fastText-style text classifier: the mean of the embeddings of a text's token ids (words,
 * hashed n-grams), optionally one hidden {@code Linear + ReLU} layer, then a {@code Linear} to
 * the logits.
 *
 * <pre>
 *   ids ──► EmbeddingBag(mean) ──► [Dropout] ──► [Linear ► ReLU] ──► Linear ──► logits
 *           embedding.weight                     hidden.*             output.*
 *           [buckets x dim]                      [hidden x dim]       [classes x (hidden or dim)]
 * </pre>
 *
 * <p>Two ways through the same parameters:
 * <ul>
 *   <li>{@link #forward} builds the autograd graph (readable; for studying and for tests);</li>
 *   <li>{@link #trainStep} is the hand-written fast path: forward, fused loss, backward and the
 *       optimizer's update, with all buffers reused, so a steady-state step allocates nothing.
 *       The embedding table's gradient is never stored: each row the batch touched gets its
 *       gradient summed in one place and handed straight to the optimizer. With a
 *       {@link WorkerPool} the step runs on several threads with bit-identical results.
 *       {@link #accumulateGradients} is the same computation writing the parameters' gradients
 *       instead; it is tested against {@link #forward}'s graph and against finite differences,
 *       and {@code trainStep} against it, bit for bit.</li>
 * </ul>
 *
 * <p>Batches come as {@link IdBags} (CSR: text {@code b} is
 * {@code ids[offsets[b] .. offsets[b + 1])}, PyTorch's {@code include_last_offset=True}), whose
 * arrays may be longer than needed, so callers can reuse them across batches. An empty text gives
 * a zero bag vector.
 *
 * <p>Inference ({@link #logits}, {@link #predictProba}, {@link #predict}) keeps its scratch per
 * thread and only reads parameters: many threads may predict with one model at once, as long as
 * nobody trains it meanwhile. Training steps run one at a time (on the caller's thread or on a
 * {@link WorkerPool}'s).
 *
 * <p>With {@code classes == 1} the model has one logit per text, for the binary losses (BCE and
 * friends); {@link #predictProba} then gives two columns, {@code [1 - sigmoid, sigmoid]}.
 */
public final class BagOfEmbeddingsClassifier extends Module {

    /** The architecture tag stored in model files. */
    public static final String ARCHITECTURE = "keel.BagOfEmbeddingsClassifier";
    /** Metadata key of the architecture tag. */
    public static final String ARCHITECTURE_KEY = "keel.architecture";
    /** Metadata key of the configuration (JSON). */
    public static final String CONFIG_KEY = "keel.config";

    /**
     * The model's shape and seed.
     *
     * @param buckets rows of the embedding table (vocabulary plus hash buckets)
     * @param dim     embedding size
     * @param hidden  width of the hidden ReLU layer, 0 for none
     * @param classes number of logits (1 for the binary losses)
     * @param dropout dropout probability on the bag vector in training, in {@code [0, 1)}
     * @param seed    seed of the initial weights and of the dropout masks
     */
    public record Config(int buckets, int dim, int hidden, int classes, float dropout, long seed) {

        public Config {
            if (buckets <= 0 || dim <= 0 || hidden < 0 || classes <= 0) {
                throw new IllegalArgumentException("classifier config needs buckets, dim, classes > 0 and hidden >= 0,"
                        + " got buckets " + buckets + ", dim " + dim + ", hidden " + hidden + ", classes " + classes);
            }
            if ((long) buckets * dim > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("embedding table of " + buckets + " x " + dim
                        + " exceeds 2^31 elements");
            }
            ElementOps.checkDropoutProbability(dropout);
        }

        /** Without dropout. */
        public Config(int buckets, int dim, int hidden, int classes, long seed) {
            this(buckets, dim, hidden, classes, 0f, seed);
        }

        /** As stored in model files. */
        public String toJson() {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("buckets", (long) buckets);
            m.put("dim", (long) dim);
            m.put("hidden", (long) hidden);
            m.put("classes", (long) classes);
            m.put("dropout", (double) dropout);
            m.put("seed", seed);
            return Json.write(m);
        }

        /** Parses {@link #toJson()}'s output; throws IllegalArgumentException naming the problem. */
        public static Config fromJson(String json) {
            Object parsed = Json.parse(json);
            if (!(parsed instanceof Map)) {
                throw new IllegalArgumentException("classifier config is not a JSON object: " + json);
            }
            Map<?, ?> m = (Map<?, ?>) parsed;
            if (!m.keySet().equals(Set.of("buckets", "dim", "hidden", "classes", "dropout", "seed"))) {
                throw new IllegalArgumentException("classifier config needs exactly buckets, dim, hidden, classes,"
                        + " dropout, seed; got " + m.keySet());
            }
            Object dropout = m.get("dropout");
            if (!(dropout instanceof Number)) {
                throw new IllegalArgumentException("classifier config: dropout is " + dropout + ", not a number");
            }
            return new Config(intField(m, "buckets"), intField(m, "dim"), intField(m, "hidden"), intField(m, "classes"),
                    ((Number) dropout).floatValue(), longField(m, "seed"));
        }

        private static long longField(Map<?, ?> m, String key) {
            Object v = m.get(key);
            if (!(v instanceof Long)) {
                throw new IllegalArgumentException("classifier config: " + key + " is " + v + ", not an integer");
            }
            return (Long) v;
        }

        private static int intField(Map<?, ?> m, String key) {
            long v = longField(m, key);
            if (v < Integer.MIN_VALUE || v > Integer.MAX_VALUE) {
                throw new IllegalArgumentException("classifier config: " + key + " = " + v + " is out of int range");
            }
            return (int) v;
        }
    }

    /** A model read from a file, with the caller's metadata (keel's own {@code keel.*} keys removed). */
    public record Loaded(BagOfEmbeddingsClassifier model, Map<String, String> metadata) {
    }

    private final Config config;
    private final EmbeddingBag embedding;
    private final Linear hidden; // null without a hidden layer
    private final Linear output;
    private final KeelRandom dropoutRandom;
    private final Parameter[] params;
    private final ThreadLocal<float[]> inferenceScratch;

    private final BagTrainingStep fastPath;

    /** A freshly initialised model: embeddings normal(0, 1), dense weights Xavier-uniform, biases 0. */
    public BagOfEmbeddingsClassifier(Config config) {
        this(config, initialLayers(config));
    }

    private BagOfEmbeddingsClassifier(Config config, Module[] layers) {
        this.config = config;
        this.embedding = registerModule("embedding", (EmbeddingBag) layers[0]);
        this.hidden = layers[1] == null ? null : registerModule("hidden", (Linear) layers[1]);
        this.output = registerModule("output", (Linear) layers[2]);
        this.dropoutRandom = streams(config.seed())[2];
        this.params = parameters().toArray(new Parameter[0]);
        int scratch = config.dim() + config.hidden() + config.classes();
        this.inferenceScratch = ThreadLocal.withInitial(() -> new float[scratch]);
        this.fastPath = new BagTrainingStep(this, dropoutRandom);
    }

    /** Independent random streams from the seed: embedding init, dense init, dropout masks. */
    private static KeelRandom[] streams(long seed) {
        KeelRandom root = new KeelRandom(seed);
        return new KeelRandom[] {root.split(), root.split(), root.split()};
    }

    private static Module[] initialLayers(Config c) {
        KeelRandom[] streams = streams(c.seed());
        EmbeddingBag embedding = new EmbeddingBag(c.buckets(), c.dim(), BagMode.MEAN, streams[0]);
        KeelRandom dense = streams[1];
        Linear hidden = c.hidden() > 0 ? new Linear(c.dim(), c.hidden(), dense) : null;
        Linear output = new Linear(c.hidden() > 0 ? c.hidden() : c.dim(), c.classes(), dense);
        return new Module[] {embedding, hidden, output};
    }

    public Config config() {
        return config;
    }

    public EmbeddingBag embedding() {
        return embedding;
    }

    /** The hidden layer, or null when {@code config.hidden() == 0}. */
    public Linear hidden() {
        return hidden;
    }

    public Linear output() {
        return output;
    }

    // ---------------------------------------------------------------- autograd path

    /**
     * The logits {@code [bagCount x classes]} as an autograd graph over this model's parameters
     * (dropout as in {@link #trainStep}, from the same random stream, when training).
     */
    public Value forward(IdBags bags) {
        int[] ids = bags.ids(), offsets = bags.offsets();
        int bagCount = bags.size();
        checkBatch(bags);
        int[] bagOffsets = Arrays.copyOf(offsets, bagCount + 1);
        int idCount = offsets[bagCount];
        Value x = embedding.forward(Arrays.copyOf(ids, idCount), bagOffsets,
                bags.weighted() ? Arrays.copyOf(bags.weights(), idCount) : null);
        x = Functional.dropout(x, config.dropout(), dropoutRandom, isTraining());
        if (hidden != null) {
            x = hidden.forward(x).relu();
        }
        return output.forward(x);
    }

    // ---------------------------------------------------------------- fast training path

    /**
     * One training step on the calling thread: forward, loss, backward and the optimizer's update,
     * with the gradients zeroed again afterwards (a leftover gradient from an earlier
     * {@link #accumulateGradients} is cleared first). Returns the loss. Allocates nothing once the
     * buffers have grown to the batch size. Same as the {@link WorkerPool} variant with one thread.
     *
     * @param targets the class of each text (0 or 1 when {@code classes == 1}), at least {@code bags.size()}
     */
    public double trainStep(IdBags bags, int[] targets, Loss loss, Optimizer optimizer) {
        return trainStep(bags, targets, loss, optimizer, WorkerPool.CALLER_ONLY);
    }

    /**
     * One training step spread over {@code pool}'s threads, synchronously: the texts' bag vectors
     * are computed in parallel, the dense layers and the loss (over the whole batch) on the calling
     * thread, then the embedding rows the batch touched are updated in parallel, each row's
     * gradient summed in batch order by the one thread that updates it. So the result is
     * bit-identical whatever the number of threads (and to {@code accumulateGradients} followed by
     * {@code optimizer.step()}). The embedding table's gradient is never stored: the optimizer
     * gets each touched row's gradient directly ({@link Optimizer#updateRow}), which is why a step
     * costs the batch's rows, not the table's.
     */
    public double trainStep(IdBags bags, int[] targets, Loss loss, Optimizer optimizer, WorkerPool pool) {
        if (optimizer == null || pool == null) {
            throw new IllegalArgumentException("trainStep needs an optimizer and a worker pool, got " + optimizer
                    + " and " + pool);
        }
        checkTrainingBatch(bags, targets);
        zeroGrad(); // nothing to do unless gradients were accumulated outside trainStep
        double value = fastPath.run(bags, targets, loss, optimizer, pool);
        zeroGrad();
        return value;
    }

    /**
     * Forward, loss and backward without the optimizer step: adds this batch's gradient to the
     * parameters' gradients (row-sparse for the embedding table) and returns the loss.
     */
    public double accumulateGradients(IdBags bags, int[] targets, Loss loss) {
        checkTrainingBatch(bags, targets);
        return fastPath.run(bags, targets, loss, null, WorkerPool.CALLER_ONLY);
    }

    private void checkTrainingBatch(IdBags bags, int[] targets) {
        if (bags.size() <= 0) {
            throw new IllegalArgumentException("a training batch needs at least one text, got " + bags.size());
        }
        checkBatch(bags);
        checkTargets(targets, bags.size());
    }

    /** Zeroes every parameter's gradient (touched rows only for the embedding table); allocation-free. */
    @Override
    public void zeroGrad() {
        for (Parameter p : params) {
            p.zeroGrad();
        }
    }

    /** The loss of the last {@link #accumulateGradients} or {@link #trainStep} (NaN before the first). */
    public double lastLoss() {
        return fastPath.lastLoss();
    }

    /** The last step's logits {@code [rows x classes]}: a view, valid until the next step. */
    public Tensor lastLogits() {
        return fastPath.lastLogits();
    }

    /**
     * The last step's d(loss)/d(logits) {@code [rows x classes]} as the loss kernel returned it: a
     * view, valid until the next step. Per-class gradient norms of a loss are read from here.
     */
    public Tensor lastLogitsGrad() {
        return fastPath.lastLogitsGrad();
    }

    // ---------------------------------------------------------------- inference (thread-safe)

    /** Logits of each text into {@code out[b * classes ..]}; thread-safe, no graph. */
    public void logits(IdBags bags, float[] out) {
        checkBatch(bags);
        int bagCount = bags.size();
        requireOutput(out, bagCount, config.classes());
        float[] scratch = inferenceScratch.get();
        for (int b = 0; b < bagCount; b++) {
            rowLogits(bags, b, scratch, out, b * config.classes());
        }
    }

    /** Columns of {@link #predictProba}'s output: {@code classes}, or 2 when {@code classes == 1}. */
    public int probabilityColumns() {
        return config.classes() == 1 ? 2 : config.classes();
    }

    /** Class probabilities of each text into {@code out[b * probabilityColumns() ..]}; thread-safe. */
    public void predictProba(IdBags bags, float[] out) {
        checkBatch(bags);
        int bagCount = bags.size();
        int cols = probabilityColumns(), c = config.classes();
        requireOutput(out, bagCount, cols);
        float[] scratch = inferenceScratch.get();
        int z = config.dim() + config.hidden(); // logits live at the end of the scratch
        for (int b = 0; b < bagCount; b++) {
            rowLogits(bags, b, scratch, scratch, z);
            if (c == 1) {
                float s = ElementOps.sigmoid(scratch[z]);
                out[b * 2] = 1f - s;
                out[b * 2 + 1] = s;
            } else {
                Kernels.active().softmaxRows(scratch, z, out, b * c, 1, c);
            }
        }
    }

    /** The most probable class of each text into {@code out[b]} (first on ties); thread-safe. */
    public void predict(IdBags bags, int[] out) {
        checkBatch(bags);
        int bagCount = bags.size();
        if (out.length < bagCount) {
            throw new IllegalArgumentException("output array of length " + out.length + " cannot hold " + bagCount
                    + " predictions");
        }
        float[] scratch = inferenceScratch.get();
        int c = config.classes(), z = config.dim() + config.hidden();
        for (int b = 0; b < bagCount; b++) {
            rowLogits(bags, b, scratch, scratch, z);
            if (c == 1) {
                out[b] = scratch[z] > 0f ? 1 : 0;
            } else {
                int best = 0;
                for (int j = 1; j < c; j++) {
                    if (scratch[z + j] > scratch[z + best]) {
                        best = j;
                    }
                }
                out[b] = best;
            }
        }
    }

    /** Logits of text {@code b} of {@code bags} into {@code out[o ..]}, using {@code scratch[0, dim + hidden)}. */
    private void rowLogits(IdBags bags, int b, float[] scratch, float[] out, int o) {
        Tensor table = embedding.weight().data();
        int[] offsets = bags.offsets();
        BagOps.reduce(table.data(), table.offset(), config.dim(), bags.ids(), bags.weights(), offsets[b], offsets[b + 1],
                BagMode.MEAN, scratch, 0);
        denseForward(scratch, 0, 1, scratch, config.dim(), out, o);
    }

    /**
     * The forward pass after the embedding bag (and its dropout, in training), over {@code rows} bag
     * vectors at {@code bag[bo ..]}: the hidden layer and its ReLU into {@code activation[ao ..]} (when
     * there is one), then the output layer's logits into {@code logits[lo ..]}. The one forward of the
     * model's dense part: the fused training step runs it over a batch, inference over one text.
     */
    void denseForward(float[] bag, int bo, int rows, float[] activation, int ao, float[] logits, int lo) {
        float[] top = bag; // the output layer's input
        int topOffset = bo;
        if (hidden != null) {
            dense(hidden, bag, bo, rows, activation, ao);
            Kernels.active().relu(activation, ao, activation, ao, rows * config.hidden());
            top = activation;
            topOffset = ao;
        }
        dense(output, top, topOffset, rows, logits, lo);
    }

    private static void dense(Linear layer, float[] x, int xo, int rows, float[] y, int yo) {
        Tensor w = layer.weight().data();
        Tensor b = layer.bias().data();
        DenseOps.forward(w.data(), w.offset(), b.data(), b.offset(), w.dim(1), w.dim(0), x, xo, rows, y, yo);
    }

    // ---------------------------------------------------------------- checks

    private void checkBatch(IdBags bags) {
        Functional.checkBags(bags.ids(), bags.offsets(), bags.size(), config.buckets());
        Functional.checkBagWeights(bags.weights(), bags.idCount());
    }

    private void checkTargets(int[] targets, int bagCount) {
        if (targets.length < bagCount) {
            throw new IllegalArgumentException(targets.length + " targets for " + bagCount + " texts");
        }
        int classes = Math.max(2, config.classes()); // one logit: targets 0 or 1
        for (int i = 0; i < bagCount; i++) {
            if (targets[i] < 0 || targets[i] >= classes) {
                throw new IllegalArgumentException("target " + targets[i] + " of text " + i + " is out of range [0, "
                        + classes + ")");
            }
        }
    }

    private static void requireOutput(float[] out, int rows, int cols) {
        if (out.length < (long) rows * cols) {
            throw new IllegalArgumentException("output array of length " + out.length + " cannot hold " + rows + " x "
                    + cols + " values");
        }
    }

    // ---------------------------------------------------------------- files

    /**
     * Saves the parameters, the config and {@code metadata} (e.g. label names; keys must not start
     * with {@code "keel."}) to a safetensors file, atomically.
     */
    public void save(Path file, Map<String, String> metadata) throws IOException {
        Map<String, String> meta = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : metadata.entrySet()) {
            if (e.getKey().startsWith("keel.")) {
                throw new IllegalArgumentException("metadata keys starting with \"keel.\" are reserved, got "
                        + e.getKey());
            }
        }
        meta.put(ARCHITECTURE_KEY, ARCHITECTURE);
        meta.put(CONFIG_KEY, config.toJson());
        meta.putAll(metadata);
        ModuleFiles.save(this, file, meta);
    }

    /** Reads a model saved by {@link #save}; every problem is a {@link ModelFileException} naming the file. */
    public static Loaded load(Path file) throws IOException {
        return fromContents(file, SafeTensors.read(file));
    }

    /**
     * Reads a model saved by {@link #save} from a stream (a resource in a jar), checked as
     * {@link #load(Path)} checks a file; {@code name} names it in errors. The stream is not closed.
     */
    public static Loaded load(java.io.InputStream in, Path name) throws IOException {
        return fromContents(name, SafeTensors.read(in, name));
    }

    private static Loaded fromContents(Path file, SafeTensors.Contents contents) throws IOException {
        Map<String, String> meta = contents.metadata();
        String architecture = meta.get(ARCHITECTURE_KEY);
        if (!ARCHITECTURE.equals(architecture)) {
            throw new ModelFileException(file, architecture == null
                    ? "not a keel classifier model (no " + ARCHITECTURE_KEY + " in the metadata)"
                    : "holds a " + architecture + " model, not a " + ARCHITECTURE);
        }
        Config config;
        try {
            config = Config.fromJson(meta.getOrDefault(CONFIG_KEY, ""));
        } catch (IllegalArgumentException e) {
            throw new ModelFileException(file, "bad " + CONFIG_KEY + ": " + e.getMessage());
        }
        Map<String, int[]> shapes = new LinkedHashMap<>();
        int top = config.hidden() > 0 ? config.hidden() : config.dim();
        shapes.put("embedding.weight", new int[] {config.buckets(), config.dim()});
        if (config.hidden() > 0) {
            shapes.put("hidden.weight", new int[] {config.hidden(), config.dim()});
            shapes.put("hidden.bias", new int[] {config.hidden()});
        }
        shapes.put("output.weight", new int[] {config.classes(), top});
        shapes.put("output.bias", new int[] {config.classes()});
        Map<String, Tensor> t = contents.tensors();
        ModuleFiles.requireTensors(shapes, t, file, ARCHITECTURE);
        Module[] layers = {
            EmbeddingBag.fromPretrained(t.get("embedding.weight"), BagMode.MEAN),
            config.hidden() > 0 ? Linear.fromWeights(t.get("hidden.weight"), t.get("hidden.bias")) : null,
            Linear.fromWeights(t.get("output.weight"), t.get("output.bias"))
        };
        Map<String, String> user = new LinkedHashMap<>();
        for (Map.Entry<String, String> e : meta.entrySet()) {
            if (!e.getKey().startsWith("keel.")) {
                user.put(e.getKey(), e.getValue());
            }
        }
        return new Loaded(new BagOfEmbeddingsClassifier(config, layers), user);
    }
}
