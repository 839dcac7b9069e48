package dev.keel.classifier;

import dev.keel.classifier.Metrics.Evaluation;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.data.LabeledDataset;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;

/**
 * A text classifier, trained as {@code keel train} trains one and stored in the same model folder:
 *
 * <pre>{@code
 * TextClassifier model = TextClassifier.train(texts, labels);   // keel train's defaults
 * model.save(Path.of("my-model"));                               // the folder keel train writes
 * TextClassifier m = TextClassifier.load(Path.of("my-model"));   // any folder keel train wrote
 * String label = m.predict("tastes stale, would not buy again");
 * double[] p = m.probabilities("...");                           // in m.labels() order
 * }</pre>
 *
 * <p>{@link #builder()} sets every option {@code keel train} has. {@link #loadResource} reads a model
 * folder an application ships in its own jar. Prediction and evaluation are thread-safe: one loaded
 * model serves many threads, with the same results as one thread.
 *
 * <p>Bad input is one {@link InputException} (a text, a label, a file, a folder named) or, for a
 * setting out of range, an {@link InvalidSettingException}; nothing is trained or written then.
 */
public final class TextClassifier {

    /** The loss of {@link #train(List, List)} and of a {@link Builder} that names none. */
    public static final String DEFAULT_LOSS = "weighted_ce";

    private final ModelFolder.TrainedModel model;
    private final Predictor predictor;
    private final TrainingSummary summary;

    private TextClassifier(ModelFolder.TrainedModel model, TrainingSummary summary) {
        this.model = model;
        this.predictor = new Predictor(model);
        this.summary = summary;
    }

    /** Trains with {@code keel train}'s defaults; {@code labels.get(i)} is the class of {@code texts.get(i)}. */
    public static TextClassifier train(List<String> texts, List<String> labels) {
        return builder().train(texts, labels);
    }

    /** The options of a training run, all of {@code keel train}'s, at their defaults. */
    public static Builder builder() {
        return new Builder();
    }

    /** Reads a model folder written by {@link #save} or {@code keel train}; every problem names the folder. */
    public static TextClassifier load(Path folder) {
        return new TextClassifier(ModelFolder.load(folder), null);
    }

    /**
     * Reads a model folder shipped as resources beside {@code anchor} (its class loader and module):
     * {@code folder} resolves as {@link Class#getResourceAsStream} resolves a name, so
     * {@code "/models/reviews"} is absolute and {@code "reviews"} is relative to {@code anchor}'s
     * package. The folder's files are read once, with the same checks as {@link #load(Path)}.
     */
    public static TextClassifier loadResource(Class<?> anchor, String folder) {
        return new TextClassifier(ModelFolder.loadResource(anchor, folder), null);
    }

    /**
     * Writes the model folder ({@code keel-model.json}, {@code vocab.tsv}, {@code model.safetensors}),
     * whole or not at all; an existing folder is replaced only if it is a keel model (or empty).
     */
    public void save(Path folder) {
        try {
            ModelFolder.save(folder, model);
        } catch (java.nio.file.FileSystemException e) {
            throw new InputException(InputException.describe(e), e);
        } catch (IOException e) {
            throw new InputException("cannot write the model folder " + folder + ": " + e.getMessage(), e);
        }
    }

    /** The classes, in the order of {@link #probabilities} (sorted names). */
    public List<String> labels() {
        return model.labels();
    }

    /** The most probable class of {@code text}. */
    public String predict(String text) {
        return predict(List.of(text)).get(0);
    }

    /** The most probable class of each text, in order. */
    public List<String> predict(List<String> texts) {
        float[] logits = logits(texts);
        int[] best = decide(logits, texts.size());
        List<String> out = new ArrayList<>(texts.size());
        for (int b : best) {
            out.add(model.labels().get(b));
        }
        return out;
    }

    /** The class probabilities of {@code text}, in {@link #labels()} order. */
    public double[] probabilities(String text) {
        return probabilities(List.of(text))[0];
    }

    /** The class probabilities of each text, one row per text in {@link #labels()} order. */
    public double[][] probabilities(List<String> texts) {
        return probabilities(logits(texts), texts.size(), classes());
    }

    /**
     * The class probabilities of {@code rows x classes} logits: softmax in double, each
     * {@code exp(log softmax)} as {@code keel predict} prints them.
     */
    public static double[][] probabilities(float[] logits, int rows, int classes) {
        double[][] p = new double[rows][classes];
        for (int r = 0; r < rows; r++) {
            for (int c = 0; c < classes; c++) {
                p[r][c] = Math.exp(Metrics.logSoftmax(logits, r, classes, c));
            }
        }
        return p;
    }

    /** The logits of each text, {@code texts.size() x labels().size()} row-major. */
    public float[] logits(List<String> texts) {
        Objects.requireNonNull(texts, "texts");
        for (int i = 0; i < texts.size(); i++) {
            if (texts.get(i) == null) {
                throw new InputException("text " + i + " is null");
            }
        }
        return predictor.logits(texts);
    }

    /**
     * Accuracy, macro-F1, per-class precision / recall / F1, the minority class's PR-AUC, NLL and
     * the confusion matrix on labeled texts. The minority class is the model's (fewest training
     * rows) when the model records it, else the rarest label among {@code labels}.
     */
    public Evaluation evaluate(List<String> texts, List<String> labels) {
        LabeledDataset data = dataset("evaluation", texts, labels);
        try {
            return evaluate(data.withLabelNames(model.labels()));
        } catch (IllegalArgumentException e) {
            throw new InputException(e.getMessage() + " (the model's classes)", e);
        }
    }

    /** As {@link #evaluate(List, List)}, on rows already read (label ids in {@link #labels()} order). */
    public Evaluation evaluate(LabeledDataset data) {
        if (!data.labelNames().equals(model.labels())) {
            throw new InputException(data.source() + ": its label ids follow " + data.labelNames()
                    + ", not the model's classes " + model.labels());
        }
        float[] logits = predictor.logits(data.texts());
        return Metrics.evaluate(logits, data.size(), classes(), data.labelIds(), minorityFor(data),
                decide(logits, data.size()));
    }

    /**
     * The class index of each of {@code rows} texts from their logits ({@link #logits}): the model's
     * {@link DecisionRule} if it has one, else the largest logit.
     */
    public int[] decide(float[] logits, int rows) {
        return model.decision() != null ? model.decision().decide(logits, rows, classes())
                : Metrics.argmax(logits, rows, classes());
    }

    /** What the model folder's manifest records of how the model was trained (never null). */
    public Map<String, Object> trainingInfo() {
        return model.training() == null ? Map.of() : model.training();
    }

    /** How training went, for a model trained in this JVM (not for a loaded one). */
    public Optional<TrainingSummary> trainingSummary() {
        return Optional.ofNullable(summary);
    }

    /** The model itself: labels, featurizer, classifier and manifest. */
    public ModelFolder.TrainedModel model() {
        return model;
    }

    private int classes() {
        return model.labels().size();
    }

    private int minorityFor(LabeledDataset data) {
        Object recorded = trainingInfo().get("minority");
        if (recorded instanceof String name && model.labels().contains(name)) {
            return model.labels().indexOf(name);
        }
        return Engine.minority(data.classCounts());
    }

    /**
     * Texts and labels as rows, every one checked: as many labels as texts, no null or blank
     * text, no null or empty label. Label ids follow the sorted label names.
     */
    static LabeledDataset dataset(String what, List<String> texts, List<String> labels) {
        Objects.requireNonNull(texts, what + " texts");
        Objects.requireNonNull(labels, what + " labels");
        if (texts.size() != labels.size()) {
            throw new InputException(what + ": " + texts.size() + " texts but " + labels.size()
                    + " labels; give one label per text");
        }
        for (int i = 0; i < texts.size(); i++) {
            String text = texts.get(i);
            if (text == null || text.isBlank()) {
                throw new InputException(what + " text " + i + " is " + (text == null ? "null" : "blank"));
            }
            String label = labels.get(i);
            if (label == null || label.isEmpty()) {
                throw new InputException(what + " label " + i + " is " + (label == null ? "null" : "empty"));
            }
        }
        return LabeledDataset.of(what, texts, labels);
    }

    /**
     * How a training run went: its time and speed (training steps only), the epoch kept, the
     * validation metrics there (or null without validation rows), and the batches left out for
     * non-finite values (with the first one's description, or null).
     */
    public record TrainingSummary(int rows, List<String> labels, int[] classCounts, double seconds,
                                  double tokensPerSecond, int epochKept, Evaluation validation,
                                  int skippedBatches, String firstSkipped) {
    }

    /**
     * Every option of {@code keel train}, with its defaults; setters return the builder. Ranges are
     * checked when training starts ({@link InvalidSettingException} naming the setting).
     */
    public static final class Builder {

        private String loss = DEFAULT_LOSS;
        private int epochs = TrainSettings.DEFAULT_EPOCHS;
        private int dim = TrainSettings.DEFAULT_DIM;
        private int hidden = 0;
        private double lr = TrainSettings.DEFAULT_LR;
        private String lrSchedule = TrainSettings.LINEAR;
        private int batch = TrainSettings.DEFAULT_BATCH;
        private int buckets = TrainSettings.DEFAULT_BUCKETS;
        private int ngrams = TrainSettings.DEFAULT_NGRAMS;
        private double weightDecay = 0;
        private long seed = 1;
        private int threads = 1;
        private boolean skipNonFinite;
        private String tokenWeights = "none";
        private String bagNorm = "mean";
        private String selection = TrainSettings.DEFAULT_SELECTION;
        private String decision = TrainSettings.DEFAULT_DECISION;
        private String decisionMetric = TrainSettings.DEFAULT_DECISION_METRIC;
        private double dropout = 0;
        private String sampling = "natural";
        private int reweightFrom = 1;
        private double logitAdjust = 0;
        private Double autotuneSeconds; // null: no search
        private int autotuneTrials = Integer.MAX_VALUE;
        private java.util.function.Consumer<String> autotuneLog;
        private LabeledDataset validation;
        private List<String> validTexts;
        private List<String> validLabels;
        private TrainingRun.Listener listener;
        private String trainFile;
        private String textColumn;
        private String labelColumn;

        private Builder() {
        }

        /**
         * The loss and its options, {@code kind[:option=value]...}: {@code ce}, {@code weighted_ce}
         * (default; {@code w=1/2} per-class weights, else inverse class frequency), {@code gated:m=0.7},
         * {@code soft_gated:m=0.7:k=20}, {@code focal:g=2:a=0.25/0.75}.
         */
        public Builder loss(String spec) {
            this.loss = Objects.requireNonNull(spec, "loss");
            return this;
        }

        /** Every setting of {@code settings} (as {@code keel train}'s options give them). */
        public Builder settings(TrainSettings settings) {
            epochs = settings.epochs();
            dim = settings.dim();
            hidden = settings.hidden();
            lr = settings.lr();
            lrSchedule = settings.lrSchedule();
            batch = settings.batch();
            buckets = settings.buckets();
            ngrams = settings.ngrams();
            weightDecay = settings.weightDecay();
            seed = settings.seed();
            threads = settings.threads();
            skipNonFinite = settings.skipNonFinite();
            tokenWeights = settings.tokenWeights();
            bagNorm = settings.bagNorm();
            selection = settings.selection();
            decision = settings.decision();
            decisionMetric = settings.decisionMetric();
            dropout = settings.dropout();
            sampling = settings.sampling();
            reweightFrom = settings.reweightFrom();
            logitAdjust = settings.logitAdjust();
            return this;
        }

        /** Dropout probability on a text's vector in training, in [0, 0.9] (default 0). */
        public Builder dropout(double dropout) {
            this.dropout = dropout;
            return this;
        }

        /**
         * How a batch's rows are drawn: {@code natural} (default: a shuffle of all rows), {@code balanced}
         * (every class equally likely) or {@code sqrt} (classes in proportion to the square root of their rows).
         */
        public Builder sampling(String sampling) {
            this.sampling = sampling;
            return this;
        }

        /** Deferred re-weighting: the loss's class weights apply from this epoch on (default 1: always). */
        public Builder reweightFrom(int epoch) {
            this.reweightFrom = epoch;
            return this;
        }

        /**
         * Searches the settings for {@code seconds} before training ({@link Autotune}): the loss and its
         * options, learning rate, epochs, dim, n-grams, token weights, sampling, dropout, logit
         * adjustment and the decision rule, each trial scored on held-out rows for the decision metric
         * ({@link #decisionMetric}); the settings given are trial 0. The model is the best trial's
         * settings trained on all rows.
         */
        public Builder autotune(double seconds) {
            this.autotuneSeconds = seconds;
            return this;
        }

        /** At most this many autotune trials (with it the search is deterministic for a seed). */
        public Builder autotuneTrials(int trials) {
            this.autotuneTrials = trials;
            return this;
        }

        /** Told of each autotune trial as it ends, in one line. */
        public Builder autotuneLog(java.util.function.Consumer<String> log) {
            this.autotuneLog = log;
            return this;
        }

        /** Logit adjustment's loss form: train on {@code z + tau log prior} (default 0: none; 1 is balanced softmax). */
        public Builder logitAdjust(double tau) {
            this.logitAdjust = tau;
            return this;
        }

        /**
         * How the epoch is chosen: {@code none} (default: the best on validation rows if given, else the
         * last), {@code holdout:F} or {@code cv:K} (held-out training rows score every epoch, then all
         * rows train to the best one; see {@link ModelSelection}).
         */
        public Builder selection(String selection) {
            this.selection = selection;
            return this;
        }

        /**
         * How scores become a class: {@code argmax} (default), {@code tuned} (per-class offsets tuned on
         * held-out rows for the decision metric) or {@code prior:TAU} (logit adjustment, post hoc).
         */
        public Builder decision(String decision) {
            this.decision = decision;
            return this;
        }

        /** What selection and tuning maximise: {@code macro_f1} (default) or {@code f1:LABEL}. */
        public Builder decisionMetric(String metric) {
            this.decisionMetric = metric;
            return this;
        }

        /**
         * How much each id of a text counts: {@code none} (the same, default) or {@code tfidf} (its
         * inverse document frequency over the training texts, saved with the model).
         */
        public Builder tokenWeights(String weights) {
            this.tokenWeights = weights;
            return this;
        }

        /**
         * How a text's weights are scaled: {@code mean} (default: the bag is a weighted mean of its rows),
         * {@code l2} (scikit-learn's TF-IDF normalisation), {@code sum} (not at all).
         */
        public Builder bagNorm(String norm) {
            this.bagNorm = norm;
            return this;
        }

        /** Passes over the training rows (default 10). */
        public Builder epochs(int epochs) {
            this.epochs = epochs;
            return this;
        }

        /** Embedding size (default 64). */
        public Builder dim(int dim) {
            this.dim = dim;
            return this;
        }

        /** Width of a ReLU hidden layer between the embedding bag and the output; 0 for none (default). */
        public Builder hidden(int hidden) {
            this.hidden = hidden;
            return this;
        }

        /** Adam's learning rate (default 0.003). */
        public Builder lr(double lr) {
            this.lr = lr;
            return this;
        }

        /** {@code linear} (default: falls to 0 over the run) or {@code constant}. */
        public Builder lrSchedule(String schedule) {
            this.lrSchedule = schedule;
            return this;
        }

        /** Rows per optimizer step (default 64). */
        public Builder batch(int batch) {
            this.batch = batch;
            return this;
        }

        /** Hash buckets for rare words and word n-grams (default 262,144). */
        public Builder buckets(int buckets) {
            this.buckets = buckets;
            return this;
        }

        /** Longest word n-gram, 1 for words only (default 2). */
        public Builder ngrams(int ngrams) {
            this.ngrams = ngrams;
            return this;
        }

        /** Decoupled (AdamW) weight decay (default 0). */
        public Builder weightDecay(double weightDecay) {
            this.weightDecay = weightDecay;
            return this;
        }

        /** Seed of the initial weights and the batch order (default 1). */
        public Builder seed(long seed) {
            this.seed = seed;
            return this;
        }

        /** Threads per training step (default 1); any count trains the same model, bit for bit. */
        public Builder threads(int threads) {
            this.threads = threads;
            return this;
        }

        /** Leave out (and count) batches with a non-finite logit, loss or gradient instead of stopping. */
        public Builder skipNonFinite(boolean skip) {
            this.skipNonFinite = skip;
            return this;
        }

        /** Validation rows: the epoch with the best validation macro-F1 is kept (ties: lower NLL). */
        public Builder validation(List<String> texts, List<String> labels) {
            this.validTexts = texts;
            this.validLabels = labels;
            this.validation = null;
            return this;
        }

        /** Validation rows already read (as {@link #validation(List, List)}). */
        public Builder validation(LabeledDataset rows) {
            this.validation = rows;
            this.validTexts = null;
            this.validLabels = null;
            return this;
        }

        /** Told of every batch and epoch as training goes (progress bars, logging). */
        public Builder listener(TrainingRun.Listener listener) {
            this.listener = listener;
            return this;
        }

        /** Where the training rows came from, recorded in the model's manifest. */
        public Builder source(String file, String textColumn, String labelColumn) {
            this.trainFile = file;
            this.textColumn = textColumn;
            this.labelColumn = labelColumn;
            return this;
        }

        /** The settings as checked values; an {@link InvalidSettingException} names the first out of range. */
        public TrainSettings settings() {
            return new TrainSettings(epochs, dim, hidden, lr, batch, buckets, ngrams, weightDecay, lrSchedule, seed,
                    threads, skipNonFinite, tokenWeights, bagNorm, selection, decision, decisionMetric, dropout, sampling,
                    reweightFrom, logitAdjust);
        }

        /** The loss, parsed and checked (without the checks that need the number of classes). */
        public LossSpec lossSpec() {
            return LossSpec.parse(loss);
        }

        /** Trains on {@code texts} and their {@code labels}. */
        public TextClassifier train(List<String> texts, List<String> labels) {
            return train(dataset("training", texts, labels));
        }

        /** Trains on rows already read (e.g. by {@link Data#readTraining}). */
        public TextClassifier train(LabeledDataset train) {
            TrainSettings settings = settings();
            LossSpec spec = lossSpec();
            if (train.size() == 0) {
                throw new InputException("the training set is empty");
            }
            if (train.numClasses() < 2) {
                throw new InputException(train.source() + " has only one class (" + train.labelNames()
                        + "); a classifier needs at least two");
            }
            spec.validateFor(train.numClasses());
            LabeledDataset valid = validation;
            if (validTexts != null) {
                valid = dataset("validation", validTexts, validLabels);
            }
            if (valid != null) {
                try {
                    valid = valid.withLabelNames(train.labelNames());
                } catch (IllegalArgumentException e) {
                    throw new InputException(e.getMessage() + " (the training classes are " + train.labelNames() + ")", e);
                }
            }
            Autotune.Result search = null;
            if (autotuneSeconds != null) {
                if (!(autotuneSeconds > 0 && autotuneSeconds <= 86_400) || autotuneTrials < 1) {
                    throw new InvalidSettingException("{autotuneDuration} must be in (0, 86400] seconds and the trials"
                            + " at least 1, got " + autotuneSeconds + " s and " + autotuneTrials + " trials");
                }
                ModelSelection.metric(settings, train); // an unknown metric or label before any trial
                String metricName = settings.decisionMetric();
                search = Autotune.search(train, valid, settings, spec.name(), autotuneSeconds, autotuneTrials, t -> {
                    if (autotuneLog != null) {
                        autotuneLog.accept(String.format(java.util.Locale.ROOT, "trial %d: %s %.4f in %.1f s: %s",
                                t.index(), metricName, t.score(), t.seconds(), t.options()));
                    }
                });
                settings = search.best().settings();
                spec = LossSpec.parse(search.best().loss());
            }
            ModelSelection.Outcome outcome = search != null && search.best().scored() != null
                    ? ModelSelection.finish(train, spec, settings, search.best().scored(), listener)
                    : ModelSelection.train(train, valid, spec, settings, listener);
            TrainingRun.Result result = outcome.run();
            TokenIdFeaturizer featurizer = outcome.features().featurizer();
            int minority = Engine.minority(train.classCounts());

            Map<String, Object> info = new LinkedHashMap<>();
            info.put("loss", spec.name());
            info.put("loss_params", spec.params());
            if (trainFile != null) {
                info.put("train_file", trainFile);
            }
            info.put("train_rows", train.size());
            info.put("minority", train.labelNames().get(minority));
            if (textColumn != null) {
                info.put("text_column", textColumn);
                info.put("label_column", labelColumn);
            }
            info.put("epochs", settings.epochs());
            info.put("epoch_kept", result.selectedEpoch());
            info.put("epoch_chosen_by", outcome.how());
            if (search != null) {
                Map<String, Object> tune = new LinkedHashMap<>();
                tune.put("metric", settings.decisionMetric());
                tune.put("trials", search.trials().size());
                tune.put("best_trial", search.best().index());
                tune.put("best_score", search.best().score());
                tune.put("scored_on", search.scoredOn());
                tune.put("seconds", search.seconds());
                tune.put("chosen", search.best().options());
                info.put("autotune", tune);
            }
            if (!settings.selection().equals(TrainSettings.DEFAULT_SELECTION)) {
                info.put("selection", settings.selection());
            }
            if (!settings.decision().equals(TrainSettings.DEFAULT_DECISION)) {
                info.put("decision", settings.decision());
                info.put("decision_metric", settings.decisionMetric());
            }
            info.put("dim", settings.dim());
            info.put("hidden", settings.hidden());
            info.put("lr", settings.lr());
            info.put("lr_schedule", settings.lrSchedule());
            info.put("batch", settings.batch());
            info.put("seed", settings.seed());
            if (result.skippedBatches() > 0) {
                info.put("skipped_nonfinite_batches", result.skippedBatches());
            }
            if (outcome.heldOut() != null) {
                info.put(settings.selection().equals("none") ? "validation_macro_f1" : "held_out_macro_f1",
                        outcome.heldOut().macroF1());
                info.put(settings.selection().equals("none") ? "validation_nll" : "held_out_nll", outcome.heldOut().nll());
            }
            ModelFolder.TrainedModel model = new ModelFolder.TrainedModel(train.labelNames(), featurizer,
                    result.model(), info, outcome.decision());
            TrainingSummary summary = new TrainingSummary(train.size(), train.labelNames(), train.classCounts(),
                    result.trainSeconds(), result.tokensPerSecond(), result.selectedEpoch(), outcome.heldOut(),
                    result.skippedBatches(), result.firstSkipped());
            return new TextClassifier(model, summary);
        }
    }
}
