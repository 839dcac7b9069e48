package dev.keel.bench;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.Init;
import dev.keel.nn.WorkerPool;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.loss.Losses;
import dev.keel.nn.optim.Adam;
import dev.keel.nn.optim.Optimizer;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;
import dev.keel.text.data.LabeledDataset;
import dev.keel.text.data.LabeledTextReader;

import java.io.IOException;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;

/**
 * keel's entry in the training-throughput table (bench/README.md, "Training throughput"): trains
 * the bag-of-embeddings classifier on a labeled CSV with the settings of the peers in
 * {@code bench/peers/} ({@code torch_train.py}: every training word its own row, word bigrams
 * hashed into 2M buckets, mean embedding bag, linear output, Adam with lazy rows, embeddings
 * uniform in {@code ±1/dim}, constant rate 0.01, batch 32, dim 64, 10 epochs, cross entropy,
 * one thread) and prints one JSON line: tokens per second (word tokens per epoch times epochs
 * over the training wall time, featurization excluded, as the peers count) and test macro-F1.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp bench/target/benchmarks.jar dev.keel.bench.TrainThroughput \
 *     data/fine_foods/fine_foods_train.csv data/fine_foods/fine_foods_test.csv [--threads 2] [--batch 256]
 * </pre>
 */
public final class TrainThroughput {

    private TrainThroughput() {
    }

    public static void main(String[] args) throws IOException {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("text-column", "review");
        o.put("label-column", "score");
        o.put("dim", "64");
        o.put("epochs", "10");
        o.put("batch", "32");
        o.put("lr", "0.01");
        o.put("buckets", "2000000");
        o.put("seed", "1");
        o.put("threads", "1");
        if (args.length < 2) {
            System.err.println("usage: TrainThroughput TRAIN.csv TEST.csv [--option value ...], options and defaults: "
                    + o);
            System.exit(2);
        }
        for (int i = 2; i < args.length; i += 2) {
            String key = args[i].replaceFirst("^--", "");
            if (!o.containsKey(key) || i + 1 >= args.length) {
                System.err.println("unknown option or missing value: " + args[i] + "; options: " + o.keySet());
                System.exit(2);
            }
            o.put(key, args[i + 1]);
        }
        int dim = Integer.parseInt(o.get("dim")), epochs = Integer.parseInt(o.get("epochs"));
        int batch = Integer.parseInt(o.get("batch")), buckets = Integer.parseInt(o.get("buckets"));
        int threads = Integer.parseInt(o.get("threads"));
        double lr = Double.parseDouble(o.get("lr"));
        long seed = Long.parseLong(o.get("seed"));

        LabeledTextReader reader = LabeledTextReader.csv(o.get("text-column"), o.get("label-column"));
        LabeledDataset train = reader.read(Path.of(args[0]));
        LabeledDataset test = reader.read(Path.of(args[1])).withLabelNames(train.labelNames());
        Tokenizer tokenizer = Tokenizer.standard();
        Vocabulary vocabulary = Vocabulary.fromTexts(train.texts(), tokenizer, 1, Integer.MAX_VALUE);
        TokenIdFeaturizer featurizer = new TokenIdFeaturizer(tokenizer, vocabulary, TokenIdFeaturizer.Options.defaults()
                .withWordNgrams(2).withBuckets(buckets).withUnknownWords(TokenIdFeaturizer.UnknownWords.DROP));
        IdBags trainIds = featurizer.bags(train.texts());
        IdBags testIds = featurizer.bags(test.texts());
        long wordsPerEpoch = trainIds.tokens();

        int classes = train.numClasses();
        var model = new BagOfEmbeddingsClassifier(new BagOfEmbeddingsClassifier.Config(featurizer.dimension(), dim, 0,
                classes, seed));
        // Initialized as the PyTorch peer: embeddings uniform in +-1/dim, the output layer as
        // torch.nn.Linear's default (weight and bias uniform in +-1/sqrt(in)).
        KeelRandom init = new KeelRandom(seed + 1);
        Init.uniform(model.embedding().weight().data(), -1.0 / dim, 1.0 / dim, init);
        double bound = 1 / Math.sqrt(dim);
        Init.uniform(model.output().weight().data(), -bound, bound, init);
        Init.uniform(model.output().bias().data(), -bound, bound, init);
        Optimizer optimizer = new Adam(model.parameters(), lr);
        Loss loss = Losses.crossEntropy();
        int[] labels = train.labelIds();

        int[] ids = new int[trainIds.maxIds(batch)], offsets = new int[batch + 1], targets = new int[batch];
        int[] order = new int[train.size()];
        KeelRandom shuffle = new KeelRandom(seed + 2);
        long start;
        long end;
        double[] epochSeconds = new double[epochs]; // cumulative
        double firstStepSeconds = -1;
        try (WorkerPool pool = new WorkerPool(threads)) {
            start = System.nanoTime();
            for (int epoch = 0; epoch < epochs; epoch++) {
                permutation(order, shuffle);
                for (int from = 0; from < order.length; from += batch) {
                    int n = Math.min(batch, order.length - from);
                    IdBags bags = trainIds.gather(order, from, n, ids, offsets);
                    for (int b = 0; b < n; b++) {
                        targets[b] = labels[order[from + b]];
                    }
                    model.trainStep(bags, targets, loss, optimizer, pool);
                    if (firstStepSeconds < 0) { // includes allocating Adam's state (two table-sized arrays)
                        firstStepSeconds = (System.nanoTime() - start) / 1e9;
                    }
                }
                epochSeconds[epoch] = (System.nanoTime() - start) / 1e9;
            }
            end = System.nanoTime();
        }
        double seconds = (end - start) / 1e9;

        model.eval();
        int[] predicted = new int[test.size()];
        model.predict(testIds, predicted);
        double f1 = macroF1(test.labelIds(), predicted, classes);
        System.out.printf(Locale.ROOT, "{\"peer\": \"keel\", \"threads\": %d, \"epochs\": %d, \"dim\": %d, \"batch\": %d, \"seed\": %d,"
                        + " \"train_seconds\": %.3f, \"tokens_per_second\": %d, \"test_macro_f1\": %.4f,"
                        + " \"words_per_epoch\": %d, \"first_step_seconds\": %.3f, \"epoch_end_seconds\": %s, \"jdk\": \"%s\", \"kernels\": \"%s\"}%n",
                threads, epochs, dim, batch, seed, seconds, Math.round(wordsPerEpoch * epochs / seconds), f1, wordsPerEpoch,
                firstStepSeconds, seconds(epochSeconds), Runtime.version(), Kernels.describe());
    }

    private static String seconds(double[] values) {
        StringBuilder out = new StringBuilder("[");
        for (int i = 0; i < values.length; i++) {
            out.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", values[i]));
        }
        return out.append(']').toString();
    }

    /** A seeded Fisher-Yates shuffle of {@code 0 .. order.length - 1}. */
    private static void permutation(int[] order, KeelRandom random) {
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        for (int i = order.length - 1; i > 0; i--) {
            int j = random.nextInt(i + 1);
            int t = order[i];
            order[i] = order[j];
            order[j] = t;
        }
    }

    /** Mean over classes of F1 (0 for a class never predicted nor present). */
    static double macroF1(int[] gold, int[] predicted, int classes) {
        double sum = 0;
        for (int c = 0; c < classes; c++) {
            int tp = 0, fp = 0, fn = 0;
            for (int i = 0; i < gold.length; i++) {
                tp += gold[i] == c && predicted[i] == c ? 1 : 0;
                fp += gold[i] != c && predicted[i] == c ? 1 : 0;
                fn += gold[i] == c && predicted[i] != c ? 1 : 0;
            }
            double precision = tp + fp > 0 ? (double) tp / (tp + fp) : 0;
            double recall = tp + fn > 0 ? (double) tp / (tp + fn) : 0;
            sum += precision + recall > 0 ? 2 * precision * recall / (precision + recall) : 0;
        }
        return sum / classes;
    }
}
