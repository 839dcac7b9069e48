package dev.keel.examples.cli;

import dev.keel.classifier.LossSpec;

import java.util.Arrays;

/**
 * {@code keel train}'s loss flags ({@code --loss KIND} with {@code --margin}, {@code --sharpness},
 * {@code --gamma}, {@code --alpha}, {@code --class-weights}) as the runtime's loss syntax,
 * {@code kind[:option=value]...}; a flag the kind does not take is an error naming it.
 */
final class LossFlags {

    private LossFlags() {
    }

    /** The loss, e.g. {@code soft_gated:m=0.8:k=10}; null means "not given". */
    static LossSpec spec(String kind, Double margin, Double sharpness, Double gamma, double[] alpha,
                         double[] classWeights) {
        String k = LossSpec.parse(kind).kind(); // an unknown kind first
        rejectUnless(k, "--margin", margin != null, "gated", "soft_gated");
        rejectUnless(k, "--sharpness", sharpness != null, "soft_gated");
        rejectUnless(k, "--gamma", gamma != null, "focal");
        rejectUnless(k, "--alpha", alpha != null, "focal");
        rejectUnless(k, "--class-weights", classWeights != null, "weighted_ce");
        StringBuilder spec = new StringBuilder(k);
        if (margin != null) {
            spec.append(":m=").append(LossSpec.format(margin));
        }
        if (sharpness != null) {
            spec.append(":k=").append(LossSpec.format(sharpness));
        }
        if (gamma != null) {
            spec.append(":g=").append(LossSpec.format(gamma));
        }
        if (alpha != null) {
            spec.append(":a=").append(join(alpha));
        }
        if (classWeights != null) {
            spec.append(":w=").append(join(classWeights));
        }
        return LossSpec.parse(spec.toString());
    }

    private static void rejectUnless(String kind, String option, boolean given, String... kinds) {
        if (given && !Arrays.asList(kinds).contains(kind)) {
            throw new IllegalArgumentException(option + " does not apply to loss '" + kind + "' (only to "
                    + String.join(", ", kinds) + ")");
        }
    }

    private static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() > 0 ? "/" : "").append(LossSpec.format(v));
        }
        return sb.toString();
    }
}
