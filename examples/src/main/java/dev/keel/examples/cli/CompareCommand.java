package dev.keel.examples.cli;

import dev.keel.classifier.AtomicDirectory;
import dev.keel.classifier.Data;
import dev.keel.examples.RepositoryFiles;
import dev.keel.examples.Experiment;
import dev.keel.classifier.InputException;
import dev.keel.classifier.LossSpec;
import dev.keel.examples.Progress;
import dev.keel.classifier.TrainSettings;
import dev.keel.examples.report.Report;
import dev.keel.text.data.LabeledDataset;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.io.PrintWriter;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.Callable;

@Command(name = "compare", mixinStandardHelpOptions = true, sortOptions = false,
        description = {"Runs the report's experiment: each loss trained on the same draws of the data for every seed, "
                + "tested on the test file at the epoch validation chose; writes report.json, report.md and PNG "
                + "figures to --out.",
                "With no --train, the bundled fine-food reviews: 2,000 'great' and 1,000 'other' drawn from the "
                + "training file (a stratified tenth held out for validation), tested on the bundled test file; "
                + "and, when ../shared/data/" + RepositoryFiles.MULTICLASS_FILE + " is present, CE against focal loss on its "
                + "10 categories (claim 3)."})
public final class CompareCommand implements Callable<Integer> {

    public static final String DEFAULT_LOSSES = "ce,weighted_ce,gated:m=0.7,focal:g=2";
    public static final String DEFAULT_SAMPLE = "great=2000,other=1000";
    public static final int MULTICLASS_TRAIN_ROWS = 15_000;

    @Spec
    CommandSpec spec;

    @Option(names = "--train", paramLabel = "F", description = "Training file (default: the bundled fine-food reviews).")
    Path trainFile;

    @Option(names = "--test", paramLabel = "F", description = "Test file, never used for choosing (required with --train).")
    Path testFile;

    @Mixin
    ColumnOptions columns;

    @Option(names = "--losses", paramLabel = "LIST", defaultValue = DEFAULT_LOSSES,
            description = "Losses to compare, e.g. ce,weighted_ce,gated:m=0.7,soft_gated:m=0.7:k=20,focal:g=2:a=0.25/0.75 "
                    + "(default: ${DEFAULT-VALUE}).")
    String losses;

    @Option(names = "--seeds", paramLabel = "N", description = "Runs per loss, seeds S, S+1, ... (default: ${DEFAULT-VALUE}).")
    int seeds = 5;

    @Option(names = "--sample", paramLabel = "LABEL=N", split = ",",
            description = "Draw exactly N rows of each named class from the training file (default for the bundled data: "
                    + DEFAULT_SAMPLE + "; otherwise all rows).")
    Map<String, Integer> sample;

    @Option(names = "--valid-fraction", paramLabel = "X",
            description = "Stratified share of the training rows held out for validation (default: ${DEFAULT-VALUE}).")
    double validFraction = 0.1;

    @Option(names = "--ratios", paramLabel = "LIST", split = ",",
            description = "Also run at these imbalance ratios (majority : minority, each >= 1), e.g. 1,2,4,8.")
    double[] ratios;

    @Option(names = "--multiclass", paramLabel = "F|none",
            description = "Multi-class file for claim 3 (columns review, cat; default: ../shared/data/"
                    + RepositoryFiles.MULTICLASS_FILE + " when present and no --train is given); 'none' skips it.")
    String multiclass;

    @Mixin
    TrainingOptions training;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "keel-out/compare",
            description = "Folder for the report (written whole or not at all; default: ${DEFAULT-VALUE}).")
    Path out;

    @Mixin
    CommonOptions common;

    @Override
    public Integer call() throws IOException {
        TrainSettings settings = Usage.check(spec, training::settings);
        if (!settings.selection().equals(TrainSettings.DEFAULT_SELECTION)
                || !settings.decision().equals(TrainSettings.DEFAULT_DECISION)) {
            // compare is the report's experiment: its epochs are chosen on its own validation draw, by argmax
            throw Usage.error(spec, "--selection and --decision apply to keel train; compare chooses epochs on its own"
                    + " validation draw with argmax");
        }
        List<LossSpec> lossSpecs = Usage.check(spec, () -> LossSpec.parseList(losses));
        if (seeds < 1 || seeds > 1000) {
            throw Usage.error(spec, "--seeds must be in [1, 1000], got " + seeds);
        }
        if (!(validFraction > 0 && validFraction < 1)) {
            throw Usage.error(spec, "--valid-fraction must be in (0, 1), got " + validFraction);
        }
        if (ratios != null) {
            for (double r : ratios) {
                if (!(r >= 1 && r <= 1000)) {
                    throw Usage.error(spec, "--ratios values must be in [1, 1000] (majority : minority), got "
                            + LossSpec.format(r));
                }
            }
        }
        if ((trainFile == null) != (testFile == null)) {
            throw Usage.error(spec, "--train and --test go together (neither: the bundled reviews)");
        }
        AtomicDirectory.checkReplaceable(out, Report.JSON, "report");

        boolean bundled = trainFile == null;
        Path train = bundled ? bundledFile(RepositoryFiles.FINE_FOODS_TRAIN) : trainFile;
        Path test = bundled ? bundledFile(RepositoryFiles.FINE_FOODS_TEST) : testFile;
        String textColumn = columns.text(bundled ? RepositoryFiles.FINE_FOODS_TEXT : ColumnOptions.DEFAULT_TEXT);
        String labelColumn = columns.label(bundled ? RepositoryFiles.FINE_FOODS_LABEL : ColumnOptions.DEFAULT_LABEL);
        columns.checkDistinct(textColumn, labelColumn);
        LabeledDataset trainData = ColumnOptions.reported(train, Data.readTraining(train, textColumn, labelColumn,
                columns.skipBadRows));
        LabeledDataset testData = ColumnOptions.reported(test, Data.readLabeled(test, textColumn, labelColumn,
                trainData.labelNames(), columns.skipBadRows));
        int classes = trainData.numClasses();
        Usage.check(spec, () -> {
            lossSpecs.forEach(l -> l.validateFor(classes));
            return null;
        });
        int[] composition = composition(trainData, sample != null ? sample : bundled ? parseSample(DEFAULT_SAMPLE) : null);

        String multiclassNote = null;
        LabeledDataset multiclassData = null;
        boolean wantsMulticlass = multiclass == null ? bundled : !multiclass.equalsIgnoreCase("none");
        if (wantsMulticlass) {
            Optional<Path> file = multiclass != null ? Optional.of(Path.of(multiclass)) : RepositoryFiles.sharedData(RepositoryFiles.MULTICLASS_FILE);
            if (file.isEmpty()) {
                multiclassNote = "Skipped: ../shared/data/" + RepositoryFiles.MULTICLASS_FILE + " is not present (it is measurement "
                        + "data that does not ship with keel); give its path with --multiclass to measure claim 3.";
            } else if (Experiment.multiclassLosses(lossSpecs).isEmpty()) {
                multiclassNote = "Skipped: the loss list needs ce and a focal loss for claim 3.";
            } else {
                // The file has a few rows with an empty review: leave them out and say so.
                multiclassData = ColumnOptions.reported(file.get(), Data.readTraining(file.get(), "review", "cat", true));
                multiclassNote = String.format(Locale.ROOT, "%s by category `cat` (%,d rows; %d bad rows left out): a "
                        + "stratified tenth held out as the test set, then %,d training rows drawn in the file's "
                        + "proportions (a tenth of them for validation), %d seeds, ce against focal.",
                        file.get().getFileName(), multiclassData.size(), multiclassData.skippedRows().size(),
                        MULTICLASS_TRAIN_ROWS, Math.min(seeds, 3));
            }
        } else {
            multiclassNote = "Skipped: " + (multiclass != null ? "--multiclass none." : "runs on user data measure claim 3 "
                    + "only with --multiclass FILE.");
        }

        Progress progress = new Progress(common.quiet);
        Experiment.Plan plan = new Experiment.Plan(trainData, testData, composition, validFraction, lossSpecs, seeds,
                settings, ratios, multiclassData, MULTICLASS_TRAIN_ROWS, Math.min(seeds, 3));
        Experiment.Outcome outcome = new Experiment(plan, progress).run();
        if (outcome.skippedBatches().getKey() > 0) {
            spec.commandLine().getErr().println("keel: skipped " + outcome.skippedBatches().getKey()
                    + " batches with non-finite values; the first: " + outcome.skippedBatches().getValue());
        }

        Map<String, Object> data = new LinkedHashMap<>();
        data.put("train_file", train.toString());
        data.put("test_file", test.toString());
        data.put("text_column", textColumn);
        data.put("label_column", labelColumn);
        data.put("sample", composition == null ? "all rows" : describe(trainData.labelNames(), composition));
        data.put("validation_fraction", validFraction);
        Map<String, Object> settingsJson = new LinkedHashMap<>();
        settingsJson.put("seeds", seeds);
        settingsJson.put("first_seed", settings.seed());
        settingsJson.put("epochs", settings.epochs());
        settingsJson.put("dim", settings.dim());
        settingsJson.put("hidden", settings.hidden());
        settingsJson.put("lr", settings.lr());
        settingsJson.put("lr_schedule", settings.lrSchedule());
        settingsJson.put("optimizer", "Adam (lazy sparse updates on embedding rows)");
        settingsJson.put("batch", settings.batch());
        settingsJson.put("buckets", settings.buckets());
        settingsJson.put("word_ngrams", settings.ngrams());
        settingsJson.put("weight_decay", settings.weightDecay());
        settingsJson.put("threads", settings.threads());
        String command = "keel " + String.join(" ", spec.commandLine().getParseResult().originalArgs());
        Report.Context context = new Report.Context(command, data, settingsJson, multiclassNote);
        AtomicDirectory.write(out, Report.JSON, "report", folder -> Report.write(folder, outcome, context));

        PrintWriter printer = spec.commandLine().getOut();
        printer.print(summary(outcome));
        printer.printf(Locale.ROOT, "report: %s (%.0f s)%n", out.resolve(Report.MARKDOWN), outcome.seconds());
        printer.flush();
        return 0;
    }

    private static String summary(Experiment.Outcome outcome) {
        StringBuilder sb = new StringBuilder();
        sb.append(String.format(Locale.ROOT, "%-28s %17s %17s %17s%n", "loss (test, mean ± std)", "accuracy", "macro-F1",
                "minority recall"));
        for (Experiment.LossRuns lr : outcome.main().results()) {
            sb.append(String.format(Locale.ROOT, "%-28s %17s %17s %17s%n", lr.loss().name(),
                    pm(lr, "accuracy"), pm(lr, "macro_f1"), pm(lr, "minority_recall")));
        }
        return sb.toString();
    }

    private static String pm(Experiment.LossRuns lr, String metric) {
        var stats = Report.stats(lr.runs(), r -> switch (metric) {
            case "accuracy" -> r.testAtSelected().accuracy();
            case "macro_f1" -> r.testAtSelected().macroF1();
            default -> r.testAtSelected().minorityRecall();
        });
        return String.format(Locale.ROOT, "%.4f ± %.4f", stats.mean(), stats.std());
    }

    private static Path bundledFile(String relative) {
        String fileName = Path.of(relative).getFileName().toString();
        return RepositoryFiles.findUp(relative).or(() -> RepositoryFiles.sharedData(fileName)).orElseThrow(() -> new InputException("cannot find the bundled " + relative
                + " (run keel from inside the project, or give --train and --test)"));
    }

    static Map<String, Integer> parseSample(String text) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (String part : text.split(",")) {
            String[] kv = part.split("=");
            m.put(kv[0], Integer.parseInt(kv[1]));
        }
        return m;
    }

    private int[] composition(LabeledDataset data, Map<String, Integer> wanted) {
        if (wanted == null) {
            return null;
        }
        int[] counts = new int[data.numClasses()];
        java.util.Arrays.fill(counts, 0);
        List<String> missing = new ArrayList<>(data.labelNames());
        for (Map.Entry<String, Integer> e : wanted.entrySet()) {
            int c = data.labelNames().indexOf(e.getKey());
            if (c < 0) {
                throw new InputException("--sample names class '" + e.getKey() + "', which " + data.source()
                        + " does not have; its classes are " + data.labelNames());
            }
            if (e.getValue() < 1) {
                throw new CommandLine.ParameterException(spec.commandLine(), "--sample " + e.getKey() + "=" + e.getValue()
                        + ": counts must be at least 1");
            }
            counts[c] = e.getValue();
            missing.remove(e.getKey());
        }
        if (!missing.isEmpty()) {
            throw new InputException("--sample does not say how many rows of " + missing + " to draw");
        }
        return counts;
    }

    private static String describe(List<String> labels, int[] counts) {
        StringBuilder sb = new StringBuilder();
        for (int c = 0; c < counts.length; c++) {
            sb.append(c > 0 ? ", " : "").append(counts[c]).append(' ').append(labels.get(c));
        }
        return sb.toString();
    }

}
