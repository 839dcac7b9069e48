package dev.keel.bench;

import dev.keel.classifier.Data;
import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.classifier.TextClassifier;
import dev.keel.classifier.TrainingRun;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.text.data.LabeledDataset;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * keel's entry in the training-throughput table (bench/README.md, "Training throughput"): trains on a
 * labeled CSV through the runtime's pipeline, exactly what {@code keel train} runs (its featurizer,
 * training run and evaluation), with the peers' settings of {@code bench/peers/} ({@code torch_train.py}:
 * dim 64, word bigrams hashed into 2M buckets, mean embedding bag, linear output, Adam with lazy rows,
 * constant rate 0.01, batch 32, 10 epochs, cross entropy, one thread), and prints one JSON line: tokens
 * per second (word tokens per epoch times epochs over the training steps' wall time, featurization and
 * evaluation excluded, as the peers count) and test macro-F1.
 *
 * <pre>
 * java --add-modules jdk.incubator.vector -Xmx4g -cp bench/target/benchmarks.jar dev.keel.bench.TrainThroughput \
 *     data/fine_foods/fine_foods_train.csv data/fine_foods/fine_foods_test.csv [--threads 2] [--batch 256]
 * </pre>
 */
public final class TrainThroughput {

    private TrainThroughput() {
    }

    public static void main(String[] args) {
        Map<String, String> o = new LinkedHashMap<>();
        o.put("text-column", "review");
        o.put("label-column", "score");
        o.put("loss", "ce");
        o.put("dim", "64");
        o.put("epochs", "10");
        o.put("batch", "32");
        o.put("lr", "0.01");
        o.put("lr-schedule", "constant");
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
        LabeledDataset train = Data.readTraining(Path.of(args[0]), o.get("text-column"), o.get("label-column"), false);
        LabeledDataset test = Data.readLabeled(Path.of(args[1]), o.get("text-column"), o.get("label-column"),
                train.labelNames(), false);
        int epochs = Integer.parseInt(o.get("epochs"));
        long start = System.nanoTime();
        double[] firstStep = {-1};
        List<Double> epochEnds = new ArrayList<>(); // seconds since the first step began, evaluation included
        TextClassifier model = TextClassifier.builder().loss(o.get("loss")).dim(Integer.parseInt(o.get("dim")))
                .epochs(epochs).batch(Integer.parseInt(o.get("batch"))).lr(Double.parseDouble(o.get("lr")))
                .lrSchedule(o.get("lr-schedule")).buckets(Integer.parseInt(o.get("buckets")))
                .seed(Long.parseLong(o.get("seed"))).threads(Integer.parseInt(o.get("threads")))
                .listener(new TrainingRun.Listener() {
                    @Override
                    public void batch(int epoch, int batchIndex, int batches, double objective, double tokensPerSecond) {
                        if (firstStep[0] < 0) { // includes the optimizer's first state pages
                            firstStep[0] = (System.nanoTime() - start) / 1e9;
                        }
                    }

                    @Override
                    public void epoch(int epoch, double objective, Evaluation valid, boolean best,
                                      BagOfEmbeddingsClassifier m) {
                        epochEnds.add((System.nanoTime() - start) / 1e9);
                    }
                })
                .train(train);
        TextClassifier.TrainingSummary summary = model.trainingSummary().orElseThrow();
        double f1 = model.evaluate(test).macroF1();
        StringBuilder ends = new StringBuilder("[");
        for (int i = 0; i < epochEnds.size(); i++) {
            ends.append(i > 0 ? ", " : "").append(String.format(Locale.ROOT, "%.3f", epochEnds.get(i)));
        }
        ends.append(']');
        System.out.printf(Locale.ROOT, "{\"peer\": \"keel\", \"threads\": %s, \"epochs\": %d, \"dim\": %s, \"batch\": %s,"
                        + " \"seed\": %s, \"train_seconds\": %.3f, \"tokens_per_second\": %d, \"test_macro_f1\": %.4f,"
                        + " \"first_step_seconds\": %.3f, \"epoch_end_seconds\": %s, \"jdk\": \"%s\", \"kernels\": \"%s\"}%n",
                o.get("threads"), epochs, o.get("dim"), o.get("batch"), o.get("seed"), summary.seconds(),
                Math.round(summary.tokensPerSecond()), f1, firstStep[0], ends, Runtime.version(), Kernels.describe());
    }
}
