package dev.keel.examples.report;

import dev.keel.examples.Experiment;
import dev.keel.examples.Experiment.Arm;
import dev.keel.examples.Experiment.LossRuns;
import dev.keel.classifier.TrainSettings;
import dev.keel.classifier.TrainingRun;
import dev.keel.classifier.MeanStd;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report's three claims, judged on what a run measured, with the numbers behind each verdict.
 *
 * <p>Rules (stated in report.md too): two means "agree" when they differ by at most
 * {@value #ACCURACY_TOLERANCE} or two standard errors of the difference, whichever is larger; a
 * validation curve "turns upward" when its last epoch is above its minimum by more than
 * {@value #RISE_TOLERANCE} nats or 2 %, whichever is larger.
 */
public final class Claims {

    static final double ACCURACY_TOLERANCE = 0.01;
    static final double RISE_TOLERANCE = 0.005;

    public static final String HOLDS = "holds";
    public static final String DOES_NOT_HOLD = "does not hold";
    public static final String PARTLY = "partly holds";
    public static final String NOT_MEASURED = "not measured";

    public record Verdict(int id, String claim, String status, String detail) {
    }

    private Claims() {
    }

    public static List<Verdict> judge(Experiment.Outcome outcome, String multiclassNote, String lrSchedule) {
        List<Verdict> verdicts = new ArrayList<>();
        verdicts.add(accuracy(outcome.main()));
        verdicts.add(validationLoss(outcome.main(), lrSchedule));
        verdicts.add(focal(outcome.multiclass(), multiclassNote));
        return verdicts;
    }

    static LossRuns gated(Arm arm) {
        LossRuns g = Report.first(arm, "gated");
        return g != null ? g : Report.first(arm, "soft_gated");
    }

    static Verdict accuracy(Arm arm) {
        String claim = "Gated cross entropy reaches about the same accuracy as plain cross entropy.";
        LossRuns ce = Report.first(arm, "ce");
        LossRuns g = gated(arm);
        if (ce == null || g == null) {
            return new Verdict(1, claim, NOT_MEASURED, "the loss list needs both ce and a gated loss");
        }
        MeanStd a = Report.stats(ce.runs(), r -> r.testAtSelected().accuracy());
        MeanStd b = Report.stats(g.runs(), r -> r.testAtSelected().accuracy());
        double diff = b.mean() - a.mean();
        double tolerance = Math.max(ACCURACY_TOLERANCE, 2 * standardError(a, b));
        String numbers = String.format(Locale.ROOT, "test accuracy %s %.4f ± %.4f vs ce %.4f ± %.4f "
                        + "(difference %+.2f points; tolerance %.2f points)",
                g.loss().name(), b.mean(), b.std(), a.mean(), a.std(), 100 * diff, 100 * tolerance);
        if (Math.abs(diff) <= tolerance) {
            return new Verdict(1, claim, HOLDS, numbers + ".");
        }
        return new Verdict(1, claim, DOES_NOT_HOLD, numbers + ": gated CE is " + (diff < 0 ? "less" : "more")
                + " accurate by more than the tolerance.");
    }

    static Verdict validationLoss(Arm arm, String lrSchedule) {
        String claim = "Cross entropy's validation loss turns upward after a few epochs while gated cross "
                + "entropy's decreases steadily (compared in one currency, the validation NLL).";
        LossRuns ce = Report.first(arm, "ce");
        LossRuns g = gated(arm);
        if (ce == null || g == null) {
            return new Verdict(2, claim, NOT_MEASURED, "the loss list needs both ce and a gated loss");
        }
        Rise ceRise = rise(Report.meanStdCurve(ce.runs(), TrainingRun.Result::validNll)[0]);
        Rise gRise = rise(Report.meanStdCurve(g.runs(), TrainingRun.Result::validNll)[0]);
        if (ceRise.epochs < 2) {
            return new Verdict(2, claim, NOT_MEASURED, "needs at least 2 epochs");
        }
        String numbers = "mean validation NLL: ce " + ceRise + "; " + g.loss().name() + " " + gRise
                + String.format(Locale.ROOT, " (gated CE's lowest is %s CE's lowest)",
                gRise.min < ceRise.min ? "below" : "above");
        if (ceRise.turnsUp && !gRise.turnsUp) {
            return new Verdict(2, claim, HOLDS, numbers + ".");
        }
        if (ceRise.turnsUp) {
            return new Verdict(2, claim, PARTLY, numbers + ": CE's does turn upward, but gated CE's turns upward too"
                    + (gRise.rise < ceRise.rise ? String.format(Locale.ROOT, ", by less (%.3f vs %.3f nats)",
                    gRise.rise, ceRise.rise) : String.format(Locale.ROOT, ", by as much or more (%.3f vs %.3f nats)",
                    gRise.rise, ceRise.rise)) + ".");
        }
        String why = TrainSettings.LINEAR.equals(lrSchedule) ? " The learning rate decayed linearly to 0 "
                + "(the default), which stops late epochs from overfitting; --lr-schedule constant keeps it fixed throughout."
                : "";
        return new Verdict(2, claim, DOES_NOT_HOLD, numbers + ": CE's validation loss does not turn upward in this run."
                + why);
    }

    static Verdict focal(Arm arm, String note) {
        String claim = "Focal loss helps the imbalanced multi-class case (measured on online_shopping_10_cats by "
                + "category).";
        if (arm == null) {
            return new Verdict(3, claim, NOT_MEASURED, note != null ? note : "no multi-class data in this run");
        }
        LossRuns ce = Report.first(arm, "ce");
        LossRuns focal = Report.first(arm, "focal");
        MeanStd f1Ce = Report.stats(ce.runs(), r -> r.testAtSelected().macroF1());
        MeanStd f1Focal = Report.stats(focal.runs(), r -> r.testAtSelected().macroF1());
        MeanStd recCe = Report.stats(ce.runs(), r -> r.testAtSelected().minorityRecall());
        MeanStd recFocal = Report.stats(focal.runs(), r -> r.testAtSelected().minorityRecall());
        double diff = f1Focal.mean() - f1Ce.mean();
        double noise = 2 * standardError(f1Ce, f1Focal);
        String minority = arm.labels().get(arm.minority());
        String numbers = String.format(Locale.ROOT, "test macro-F1 %s %.4f ± %.4f vs ce %.4f ± %.4f (%+.2f points, "
                        + "2 standard errors %.2f points); recall of the rarest class '%s' %.4f vs %.4f",
                focal.loss().name(), f1Focal.mean(), f1Focal.std(), f1Ce.mean(), f1Ce.std(), 100 * diff, 100 * noise,
                minority, recFocal.mean(), recCe.mean());
        if (diff > noise && diff > 0) {
            return new Verdict(3, claim, HOLDS, numbers + ".");
        }
        double recallGain = recFocal.mean() - recCe.mean();
        if (recallGain > 0 && recallGain > 2 * standardError(recCe, recFocal)) {
            return new Verdict(3, claim, PARTLY, numbers + String.format(Locale.ROOT, ": the rarest class's recall "
                    + "rises by %.1f points, beyond two standard errors, but macro-F1 %s.", 100 * recallGain,
                    diff > 0 ? "gains only within the seed-to-seed noise" : "does not improve"));
        }
        return new Verdict(3, claim, DOES_NOT_HOLD, numbers + (diff > 0
                ? ": the gain is within the seed-to-seed noise." : ": focal loss does not improve macro-F1 here."));
    }

    /** Where a mean validation curve is lowest and how far its end rose above that. */
    record Rise(int epochs, int minEpoch, double min, double last, double rise, boolean turnsUp) {
        @Override
        public String toString() {
            return String.format(Locale.ROOT, "lowest %.4f at epoch %d of %d, last %.4f (%s)", min, minEpoch, epochs,
                    last, turnsUp ? String.format(Locale.ROOT, "up %.4f", rise) : "no material rise");
        }
    }

    static Rise rise(double[] curve) {
        int best = 0;
        for (int e = 1; e < curve.length; e++) {
            if (curve[e] < curve[best]) {
                best = e;
            }
        }
        double last = curve[curve.length - 1];
        double rise = last - curve[best];
        boolean up = best < curve.length - 1 && rise > Math.max(RISE_TOLERANCE, 0.02 * curve[best]);
        return new Rise(curve.length, best + 1, curve[best], last, rise, up);
    }

    private static double standardError(MeanStd a, MeanStd b) {
        double va = a.n() > 0 ? a.std() * a.std() / a.n() : 0;
        double vb = b.n() > 0 ? b.std() * b.std() / b.n() : 0;
        return Math.sqrt(va + vb);
    }

    static List<Object> toJson(List<Verdict> verdicts) {
        List<Object> list = new ArrayList<>();
        for (Verdict v : verdicts) {
            Map<String, Object> m = new LinkedHashMap<>();
            m.put("id", v.id());
            m.put("claim", v.claim());
            m.put("verdict", v.status());
            m.put("detail", v.detail());
            list.add(m);
        }
        return list;
    }
}
