package dev.keel.examples.cli;

import dev.keel.core.IdBags;
import dev.keel.classifier.AtomicDirectory;
import dev.keel.classifier.Engine;
import dev.keel.classifier.LossSpec;
import dev.keel.classifier.ModelFolder;
import dev.keel.examples.Progress;
import dev.keel.classifier.TrainSettings;
import dev.keel.classifier.TrainingRun;
import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.nn.autograd.Parameter;
import dev.keel.core.Tensor;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.data.LabeledDataset;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.util.ArrayList;
import java.util.List;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Locale;
import java.util.Map;
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

    @Option(names = "--loss", required = true, paramLabel = "KIND",
            description = "Loss: ce, weighted_ce, gated, soft_gated or focal.")
    String loss;

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

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "Folder to save the model to (written whole or not at all).")
    Path modelDir;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        TrainSettings settings = Usage.check(spec, training::settings);
        LossSpec lossSpec = Usage.check(spec, () -> LossSpec.of(loss, margin, sharpness, gamma, alpha, classWeights));
        AtomicDirectory.checkReplaceable(modelDir, ModelFolder.MANIFEST, "model");
        LabeledDataset train = columns.readTraining(trainFile);
        Usage.check(spec, () -> {
            lossSpec.validateFor(train.numClasses());
            return null;
        });
        LabeledDataset valid = validFile == null ? null : columns.readLabeled(validFile, train.labelNames());
        TokenIdFeaturizer featurizer = Engine.featurizer(train.texts(), settings);
        IdBags trainBags = featurizer.bags(train.texts());
        IdBags validBags = valid == null ? null : featurizer.bags(valid.texts());
        int minority = Engine.minority(train.classCounts());
        TrainingRun.Prepared data = new TrainingRun.Prepared(trainBags, train.labelIds(), validBags,
                valid == null ? null : valid.labelIds(), null, null, train.numClasses(), minority,
                featurizer.dimension());

        Progress progress = new Progress(common.quiet);
        List<Tensor> kept = new ArrayList<>();
        BagOfEmbeddingsClassifier[] trained = new BagOfEmbeddingsClassifier[1];
        TrainingRun.Result result = TrainingRun.run(data, lossSpec, settings, new TrainingRun.Listener() {
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
                trained[0] = model;
                if (valid != null && best) { // keep a copy of the chosen epoch's parameters
                    kept.clear();
                    for (Parameter p : model.parameters()) {
                        kept.add(p.data().copy());
                    }
                }
            }
        });
        progress.finish();
        if (result.skippedBatches() > 0) {
            spec.commandLine().getErr().println("keel: skipped " + result.skippedBatches() + " of "
                    + (long) settings.epochs() * ((train.size() + settings.batch() - 1) / settings.batch())
                    + " batches with non-finite values; the first: " + result.firstSkipped());
        }

        Map<String, Object> info = new LinkedHashMap<>();
        info.put("loss", lossSpec.name());
        info.put("loss_params", lossSpec.params());
        info.put("train_file", trainFile.toString());
        info.put("train_rows", train.size());
        info.put("minority", train.labelNames().get(minority));
        info.put("text_column", columns.textColumn());
        info.put("label_column", columns.labelColumn());
        info.put("epochs", settings.epochs());
        info.put("epoch_kept", result.selectedEpoch());
        info.put("epoch_chosen_by", valid != null ? "best validation macro-F1 (ties: lower NLL)" : "last epoch");
        info.put("dim", settings.dim());
        info.put("hidden", settings.hidden());
        info.put("lr", settings.lr());
        info.put("lr_schedule", settings.lrSchedule());
        info.put("batch", settings.batch());
        info.put("seed", settings.seed());
        if (result.skippedBatches() > 0) {
            info.put("skipped_nonfinite_batches", result.skippedBatches());
        }
        if (result.validAtSelected() != null) {
            info.put("validation_macro_f1", result.validAtSelected().macroF1());
            info.put("validation_nll", result.validAtSelected().nll());
        }
        BagOfEmbeddingsClassifier model = trained[0];
        if (!kept.isEmpty()) {
            List<Parameter> params = model.parameters();
            for (int i = 0; i < params.size(); i++) {
                params.get(i).data().copyFrom(kept.get(i));
            }
        }
        ModelFolder.save(modelDir, new ModelFolder.TrainedModel(train.labelNames(), featurizer, model, info));
        spec.commandLine().getOut().printf(Locale.ROOT, "trained %s on %d rows (%s) in %.1f s, %s tokens/s; kept epoch %d%s; saved to %s%n",
                lossSpec.name(), train.size(), counts(train), result.trainSeconds(),
                String.format(Locale.ROOT, "%.0f", result.tokensPerSecond()), result.selectedEpoch(),
                result.validAtSelected() == null ? "" : String.format(Locale.ROOT, " (validation macro-F1 %.4f, NLL %.4f)",
                        result.validAtSelected().macroF1(), result.validAtSelected().nll()), modelDir);
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
