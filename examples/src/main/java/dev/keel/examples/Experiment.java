package dev.keel.examples;

import dev.keel.classifier.Engine;
import dev.keel.classifier.InputException;
import dev.keel.classifier.LossSpec;
import dev.keel.classifier.TrainSettings;
import dev.keel.classifier.TrainingRun;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.data.LabeledDataset;
import dev.keel.text.data.Splits;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The report's experiment: every loss trained on the same draws of the data, once per seed, and
 * tested on the untouched test file at the epoch validation chose; optionally again at several
 * imbalance ratios, and on a multi-class set for the focal-loss claim.
 *
 * <p>Per seed {@code s}: the training file is subsampled to the composition (if any) and split
 * into train and a stratified validation part with seed {@code s}; every loss sees that same draw
 * (a paired comparison), with model initialisation and batch order seeded by {@code s} too.
 */
public final class Experiment {

    /** Where the data comes from and what to run. */
    public record Plan(LabeledDataset train, LabeledDataset test, int[] composition, double validFraction,
                       List<LossSpec> losses, int seeds, TrainSettings settings, double[] ratios,
                       LabeledDataset multiclass, int multiclassTrainRows, int multiclassSeeds) {
    }

    /** One loss's runs, one per seed (seed index i used seed {@code settings.seed() + i}). */
    public record LossRuns(LossSpec loss, List<TrainingRun.Result> runs) {
    }

    /** All losses at one data composition. */
    public record Arm(String name, List<String> labels, int minority, int[] trainCounts, int[] validCounts,
                      int[] testCounts, double ratio, List<LossRuns> results) {
    }

    public record Outcome(Arm main, List<Arm> ratios, Arm multiclass, double seconds) {

        /** Batches skipped for non-finite values over every run, and the first one's description (or null). */
        public Map.Entry<Integer, String> skippedBatches() {
            int total = 0;
            String first = null;
            List<Arm> arms = new ArrayList<>(ratios);
            arms.add(0, main);
            if (multiclass != null) {
                arms.add(multiclass);
            }
            for (Arm arm : arms) {
                for (LossRuns lossRuns : arm.results()) {
                    for (TrainingRun.Result r : lossRuns.runs()) {
                        total += r.skippedBatches();
                        if (first == null && r.firstSkipped() != null) {
                            first = arm.name() + " " + lossRuns.loss().name() + ", " + r.firstSkipped();
                        }
                    }
                }
            }
            return Map.entry(total, first == null ? "" : first);
        }
    }

    private final Plan plan;
    private final Progress progress;
    private final double totalWork;
    private double doneWork;

    public Experiment(Plan plan, Progress progress) {
        this.plan = plan;
        this.progress = progress;
        int runs = plan.losses().size() * plan.seeds();
        double mainRows = plan.composition() == null ? plan.train().size() : Arrays.stream(plan.composition()).sum();
        double work = runs * mainRows * (1 + (plan.ratios() == null ? 0 : plan.ratios().length));
        if (plan.multiclass() != null) {
            work += multiclassLosses(plan.losses()).size() * plan.multiclassSeeds() * (double) plan.multiclassTrainRows();
        }
        this.totalWork = work * plan.settings().epochs();
    }

    public Outcome run() {
        long start = System.nanoTime();
        int[] base = plan.composition() != null ? plan.composition() : plan.train().classCounts();
        Arm main = arm("main", plan.train(), plan.test(), base, Double.NaN, plan.losses(), plan.seeds());
        List<Arm> ratioArms = new ArrayList<>();
        if (plan.ratios() != null) {
            for (double ratio : plan.ratios()) {
                ratioArms.add(arm("ratio " + LossSpec.format(ratio), plan.train(), plan.test(),
                        compositionAtRatio(base, plan.train().classCounts(), ratio), ratio, plan.losses(),
                        plan.seeds()));
            }
        }
        Arm multiclass = null;
        List<LossSpec> mcLosses = multiclassLosses(plan.losses());
        if (plan.multiclass() != null && !mcLosses.isEmpty()) {
            Splits.Split split = Splits.stratified(plan.multiclass(), 0.1, MULTICLASS_TEST_SEED);
            LabeledDataset pool = split.train();
            int[] counts = pool.classCounts();
            int[] want = new int[counts.length];
            long total = Arrays.stream(counts).asLongStream().sum();
            for (int c = 0; c < counts.length; c++) {
                want[c] = (int) Math.min(counts[c], Math.round((double) counts[c] * plan.multiclassTrainRows() / total));
            }
            multiclass = arm("multiclass", pool, split.validation(), want, Double.NaN, mcLosses, plan.multiclassSeeds());
        }
        progress.finish();
        return new Outcome(main, ratioArms, multiclass, (System.nanoTime() - start) / 1e9);
    }

    /** The seed of the multi-class test split (fixed: every run tests on the same rows). */
    static final long MULTICLASS_TEST_SEED = 2019;

    private static Map<String, Integer> byName(List<String> labels, int[] counts) {
        Map<String, Integer> m = new LinkedHashMap<>();
        for (int c = 0; c < counts.length; c++) {
            m.put(labels.get(c), counts[c]);
        }
        return m;
    }

    /**
     * The margin that losses without a gate are watched against in the per-class views: the first
     * gated loss's of the list, so CE, gated and focal are compared at one margin; else the default.
     */
    static double referenceMargin(List<LossSpec> losses) {
        return losses.stream().map(LossSpec::margin).filter(java.util.Objects::nonNull).findFirst()
                .orElse(LossSpec.DEFAULT_MARGIN);
    }

    /** CE and the focal losses of the list: the pair the focal claim is about. */
    public static List<LossSpec> multiclassLosses(List<LossSpec> losses) {
        boolean hasFocal = losses.stream().anyMatch(l -> l.kind().specName().equals("focal"));
        boolean hasCe = losses.stream().anyMatch(l -> l.kind().specName().equals("ce"));
        if (!hasFocal || !hasCe) {
            return List.of();
        }
        return losses.stream().filter(l -> l.kind().specName().equals("ce") || l.kind().specName().equals("focal")).toList();
    }

    /**
     * The composition at an imbalance ratio: the majority class keeps its count in {@code base}
     * and every other class gets {@code round(majority / ratio)} rows (at least one); where the file
     * has fewer rows of a class than that, the majority is cut instead so the ratio holds.
     */
    public static int[] compositionAtRatio(int[] base, int[] available, double ratio) {
        int majority = 0;
        for (int c = 1; c < base.length; c++) {
            if (base[c] > base[majority]) {
                majority = c;
            }
        }
        double majorityCount = Math.min(base[majority], available[majority]);
        for (int c = 0; c < base.length; c++) {
            if (c != majority) {
                majorityCount = Math.min(majorityCount, available[c] * ratio);
            }
        }
        int[] out = new int[base.length];
        for (int c = 0; c < base.length; c++) {
            out[c] = c == majority ? (int) Math.round(majorityCount)
                    : (int) Math.max(1, Math.min(available[c], Math.round(majorityCount / ratio)));
        }
        return out;
    }

    private Arm arm(String name, LabeledDataset source, LabeledDataset test, int[] composition, double ratio,
                    List<LossSpec> losses, int seeds) {
        List<List<TrainingRun.Result>> runs = new ArrayList<>();
        for (int i = 0; i < losses.size(); i++) {
            runs.add(new ArrayList<>());
        }
        int[] trainCounts = null;
        int[] validCounts = null;
        int minority = Engine.minority(composition);
        for (int s = 0; s < seeds; s++) {
            long seed = plan.settings().seed() + s;
            long drawSeed = seed * 0x9E3779B97F4A7C15L + name.hashCode();
            LabeledDataset drawn = Splits.subsample(source, byName(source.labelNames(), composition), drawSeed);
            Splits.Split split = Splits.stratified(drawn, plan.validFraction(), drawSeed + 1);
            LabeledDataset train = split.train();
            LabeledDataset valid = split.validation();
            trainCounts = train.classCounts();
            validCounts = valid.classCounts();
            if (train.size() == 0) {
                throw new InputException("the training set is empty after holding out validation rows");
            }
            TrainSettings settings = plan.settings().withSeed(seed);
            Engine.Features features = Engine.fit(train.texts(), settings);
            TokenIdFeaturizer featurizer = features.featurizer();
            TrainingRun.Prepared data = new TrainingRun.Prepared(features.trainBags(),
                    train.labelIds(), featurizer.bags(valid.texts()), valid.labelIds(),
                    featurizer.bags(test.texts()), test.labelIds(), source.numClasses(), minority,
                    featurizer.dimension());
            for (int l = 0; l < losses.size(); l++) {
                LossSpec loss = losses.get(l);
                String label = (name.equals("main") ? "" : name + " ") + loss.name() + " seed " + (s + 1) + "/" + seeds;
                double rowsEpochs = (double) train.size() * settings.epochs();
                double before = doneWork;
                runs.get(l).add(TrainingRun.run(data, loss, settings, new TrainingRun.Listener() {
                    @Override
                    public void batch(int epoch, int batchIndex, int batches, double objective, double tokensPerSecond) {
                        double fraction = ((epoch - 1) + (double) batchIndex / batches) / settings.epochs();
                        progress.update(label, epoch, settings.epochs(), objective, tokensPerSecond,
                                Math.min(1, (before + fraction * rowsEpochs) / totalWork));
                    }
                }, referenceMargin(losses), false));
                doneWork = before + rowsEpochs;
            }
        }
        List<LossRuns> results = new ArrayList<>();
        for (int l = 0; l < losses.size(); l++) {
            results.add(new LossRuns(losses.get(l), runs.get(l)));
        }
        return new Arm(name, source.labelNames(), minority, trainCounts, validCounts, test.classCounts(), ratio,
                results);
    }
}
