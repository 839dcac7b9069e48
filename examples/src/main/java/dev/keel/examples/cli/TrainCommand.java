package dev.keel.examples.cli;

import dev.keel.classifier.AtomicDirectory;
import dev.keel.classifier.LossSpec;
import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TextClassifier;
import dev.keel.classifier.TrainSettings;
import dev.keel.classifier.TrainingRun;
import dev.keel.examples.Progress;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.text.data.LabeledDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.nio.file.Path;
import java.util.Locale;
import java.util.concurrent.Callable;

@Command(name = "train", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Trains the bag-of-embeddings classifier (words + hashed word n-grams -> embedding bag "
                + "-> optional hidden layer -> dense -> softmax) and saves it to a model folder.",
                "With --valid, the epoch with the best validation macro-F1 is kept; otherwise the last."})
public final class TrainCommand implements Callable<Integer> {

    @Spec
    CommandSpec spec;

    @Option(names = "--train", required = true, paramLabel = "F", description = "Training file (CSV, TSV; .gz allowed).")
    Path trainFile;

    @Option(names = "--valid", paramLabel = "F", description = "Validation file: chooses the epoch to keep.")
    Path validFile;

    @Mixin
    ColumnOptions columns;

    @Option(names = "--loss", paramLabel = "KIND",
            description = "Loss: ce, weighted_ce, gated, soft_gated or focal (default: " + TextClassifier.DEFAULT_LOSS + ").")
    String loss = TextClassifier.DEFAULT_LOSS;

    @Option(names = "--margin", paramLabel = "M",
            description = "gated, soft_gated: train a row only while its true class's probability is below M; 1/classes < M < 1 (default 0.7).")
    Double margin;

    @Option(names = "--sharpness", paramLabel = "K", description = "soft_gated: sharpness of the sigmoid gate, K > 0 (default 20).")
    Double sharpness;

    @Option(names = "--gamma", paramLabel = "G", description = "focal: focusing exponent, 0 <= G <= 10 (default 2; 0 is plain CE).")
    Double gamma;

    @Option(names = "--alpha", paramLabel = "A", split = ",", description = "focal: per-class factors in (0, 1], in label order (default all 1).")
    double[] alpha;

    @Option(names = "--class-weights", paramLabel = "W", split = ",",
            description = "weighted_ce: per-class weights > 0, in label order (default: inverse class frequency).")
    double[] classWeights;

    @Mixin
    TrainingOptions training;

    @Option(names = "--autotune",
            description = "Search the loss and its options, learning rate, epochs, dim, n-grams, token weights, "
                    + "sampling, dropout, logit adjustment and the decision rule on held-out rows (--valid, else "
                    + "cross-validation or a held-out fifth) for --autotune-duration, then train the best on all rows; "
                    + "the options given are the first trial.")
    boolean autotune;

    @Option(names = "--autotune-duration", paramLabel = "SECONDS",
            description = "How long --autotune searches, in (0, 86400] (default: ${DEFAULT-VALUE}).")
    double autotuneDuration = 120;

    @Option(names = "--autotune-metric", paramLabel = "M",
            description = "What --autotune maximises: macro_f1 or f1:LABEL (default: --decision-metric's value).")
    String autotuneMetric;

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Folder to save the model to (written whole or not at all).")
    Path modelDir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() {
        if (autotuneMetric != null) {
            training.decisionMetric = autotuneMetric;
        }
        if (autotune && !(autotuneDuration > 0 && autotuneDuration <= 86_400)) {
            throw new picocli.CommandLine.ParameterException(spec.commandLine(),
                    "--autotune-duration must be in (0, 86400] seconds, got " + autotuneDuration);
        }
        TrainSettings settings = Usage.check(spec, training::settings);
        LossSpec lossSpec = Usage.check(spec, () -> LossFlags.spec(loss, margin, sharpness, gamma, alpha, classWeights));
        AtomicDirectory.checkReplaceable(modelDir, ModelFolder.MANIFEST, "model");
        LabeledDataset train = columns.readTraining(trainFile);
        Usage.check(spec, () -> {
            lossSpec.validateFor(train.numClasses());
            return null;
        });
        TextClassifier.Builder builder = TextClassifier.builder().loss(lossSpec.name()).settings(settings)
                .source(trainFile.toString(), columns.textColumn(), columns.labelColumn());
        if (validFile != null) {
            builder.validation(columns.readLabeled(validFile, train.labelNames()));
        }
        if (autotune) {
            builder.autotune(autotuneDuration).autotuneLog(line -> spec.commandLine().getErr().println("keel: autotune " + line));
        }
        Progress progress = new Progress(common.quiet || autotune); // many runs: the trials are the progress
        builder.listener(new TrainingRun.Listener() {
            @Override
            public void batch(int epoch, int batchIndex, int batches, double meanObjective, double tokensPerSecond) {
                double done = ((epoch - 1) + (double) batchIndex / batches) / settings.epochs();
                progress.update(lossSpec.name(), epoch, settings.epochs(), meanObjective, tokensPerSecond, done);
            }

            @Override
            public void epoch(int epoch, double objective, Evaluation v, boolean best, BagOfEmbeddingsClassifier model) {
                if (v != null) {
                    progress.note(String.format(Locale.ROOT,
                            "epoch %d/%d  objective %.4f  validation: NLL %.4f  accuracy %.4f  macro-F1 %.4f%s",
                            epoch, settings.epochs(), objective, v.nll(), v.accuracy(), v.macroF1(), best ? "  *" : ""));
                }
            }
        });
        TextClassifier model = Usage.settings(spec, () -> builder.train(train));
        progress.finish();
        TextClassifier.TrainingSummary result = model.trainingSummary().orElseThrow();
        if (result.skippedBatches() > 0) {
            spec.commandLine().getErr().println("keel: skipped " + result.skippedBatches() + " of "
                    + (long) settings.epochs() * ((train.size() + settings.batch() - 1) / settings.batch())
                    + " batches with non-finite values; the first: " + result.firstSkipped());
        }
        model.save(modelDir);
        spec.commandLine().getOut().printf(Locale.ROOT, "trained %s on %d rows (%s) in %.1f s, %s tokens/s; kept epoch %d%s; saved to %s%n",
                model.trainingInfo().getOrDefault("loss", lossSpec.name()), train.size(), counts(train), result.seconds(),
                String.format(Locale.ROOT, "%.0f", result.tokensPerSecond()), result.epochKept(),
                result.validation() == null ? "" : String.format(Locale.ROOT, " (validation macro-F1 %.4f, NLL %.4f)",
                        result.validation().macroF1(), result.validation().nll()), modelDir);
        return 0;
    }

    static String counts(LabeledDataset data) {
        StringBuilder sb = new StringBuilder();
        int[] counts = data.classCounts();
        for (int c = 0; c < counts.length; c++) {
            sb.append(c > 0 ? ", " : "").append(data.labelNames().get(c)).append(' ').append(counts[c]);
        }
        return sb.toString();
    }
}
