package dev.keel.examples.cli;

import dev.keel.classifier.TrainSettings;
import picocli.CommandLine.Option;

/** The model's size and how it is trained (shared by train and compare). */
public final class TrainingOptions {

    @Option(names = "--epochs", paramLabel = "N", description = "Passes over the training rows (default: ${DEFAULT-VALUE}).")
    int epochs = TrainSettings.DEFAULT_EPOCHS;

    @Option(names = "--dim", paramLabel = "D", description = "Embedding size (default: ${DEFAULT-VALUE}).")
    int dim = TrainSettings.DEFAULT_DIM;

    @Option(names = "--hidden", paramLabel = "H",
            description = "Width of a ReLU hidden layer between the embedding bag and the output; 0 = none (default: ${DEFAULT-VALUE}).")
    int hidden = 0;

    @Option(names = "--lr", paramLabel = "X",
            description = "Adam learning rate (default: ${DEFAULT-VALUE}).")
    double lr = TrainSettings.DEFAULT_LR;

    @Option(names = "--lr-schedule", paramLabel = "S",
            description = "linear: the learning rate falls linearly to 0 over the run; constant: it stays (default: ${DEFAULT-VALUE}).")
    String lrSchedule = TrainSettings.LINEAR;

    @Option(names = "--batch", paramLabel = "B", description = "Rows per optimizer step (default: ${DEFAULT-VALUE}).")
    int batch = TrainSettings.DEFAULT_BATCH;

    @Option(names = "--buckets", paramLabel = "N",
            description = "Hash buckets for words and word n-grams (default: ${DEFAULT-VALUE}).")
    int buckets = TrainSettings.DEFAULT_BUCKETS;

    @Option(names = "--ngrams", paramLabel = "N", description = "Longest word n-gram, 1 = words only (default: ${DEFAULT-VALUE}).")
    int ngrams = TrainSettings.DEFAULT_NGRAMS;

    @Option(names = "--weight-decay", paramLabel = "X", description = "Decoupled (AdamW) weight decay (default: ${DEFAULT-VALUE}).")
    double weightDecay = 0;

    @Option(names = "--seed", paramLabel = "S", description = "Random seed (default: ${DEFAULT-VALUE}).")
    long seed = 1;

    @Option(names = "--threads", paramLabel = "T",
            description = "Threads per training step (default: ${DEFAULT-VALUE}). Any count trains the same model, "
                    + "bit for bit; more threads pay from batches of a few hundred texts. With --skip-nonfinite "
                    + "steps run on one thread.")
    int threads = 1;

    @Option(names = "--skip-nonfinite",
            description = "Skip (and count) a batch whose logits, loss or gradients are not finite, instead of stopping.")
    boolean skipNonFinite;

    @Option(names = "--token-weights", paramLabel = "W",
            description = "How much each word or n-gram of a text counts: none (the same) or tfidf (its inverse "
                    + "document frequency over the training texts, saved with the model) (default: ${DEFAULT-VALUE}).")
    String tokenWeights = "none";

    @Option(names = "--bag-norm", paramLabel = "N",
            description = "How a text's weights are scaled: mean (the text's vector is a weighted mean), l2 "
                    + "(scikit-learn's TF-IDF normalisation) or sum (not at all) (default: ${DEFAULT-VALUE}).")
    String bagNorm = "mean";

    @Option(names = "--selection", paramLabel = "S",
            description = "How the epoch is chosen: none (the best on --valid, else the last), holdout:F (a stratified "
                    + "fraction F of the training rows held out, then all rows trained to the best epoch) or cv:K "
                    + "(stratified K-fold cross-validation, every row scored out of fold; then all rows) "
                    + "(default: ${DEFAULT-VALUE}).")
    String selection = TrainSettings.DEFAULT_SELECTION;

    @Option(names = "--decision", paramLabel = "D",
            description = "How scores become a class: argmax, tuned (per-class offsets tuned on held-out rows for "
                    + "--decision-metric: --valid, or --selection holdout/cv) or prior:TAU (logit adjustment: subtract "
                    + "TAU log prior) (default: ${DEFAULT-VALUE}). Saved with the model; predict and eval apply it.")
    String decision = TrainSettings.DEFAULT_DECISION;

    @Option(names = "--decision-metric", paramLabel = "M",
            description = "What --selection and --decision tuned maximise: macro_f1 or f1:LABEL (default: ${DEFAULT-VALUE}).")
    String decisionMetric = TrainSettings.DEFAULT_DECISION_METRIC;

    @Option(names = "--dropout", paramLabel = "P",
            description = "Dropout probability on a text's vector in training, 0 to 0.9 (default: ${DEFAULT-VALUE}).")
    double dropout = 0;

    @Option(names = "--sampling", paramLabel = "S",
            description = "How a batch's rows are drawn: natural (a shuffle of all rows), balanced (every class equally "
                    + "likely: rare classes oversampled) or sqrt (classes by the square root of their rows) "
                    + "(default: ${DEFAULT-VALUE}).")
    String sampling = "natural";

    @Option(names = "--reweight-from", paramLabel = "E",
            description = "Deferred re-weighting: the loss's class weights (weighted_ce's w, focal's alpha) apply from "
                    + "epoch E on; earlier epochs train without them (default: ${DEFAULT-VALUE}: always).")
    int reweightFrom = 1;

    @Option(names = "--logit-adjust", paramLabel = "TAU",
            description = "Logit adjustment's loss form: train on logits + TAU log prior, so the plain argmax is the "
                    + "balanced decision; 1 is balanced softmax (default: ${DEFAULT-VALUE}: none).")
    double logitAdjust = 0;

    /** The settings, checked; an out-of-range value is an IllegalArgumentException naming the option. */
    public TrainSettings settings() {
        return new TrainSettings(epochs, dim, hidden, lr, batch, buckets, ngrams, weightDecay, lrSchedule, seed, threads,
                skipNonFinite, tokenWeights, bagNorm, selection, decision, decisionMetric, dropout, sampling, reweightFrom,
                logitAdjust);
    }
}
