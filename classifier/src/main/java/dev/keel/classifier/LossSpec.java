package dev.keel.classifier;

import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.Losses;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One loss configuration: a kind and its options, as named on the command line.
 *
 * <p>Written {@code kind[:option=value]...}; a LIST separates them with commas:
 * {@code ce,weighted_ce,gated:m=0.7,soft_gated:m=0.7:k=20,focal:g=2}. Per-class values
 * (focal's {@code a}, weighted_ce's {@code w}) are separated by {@code /}: {@code focal:g=2:a=0.25/0.75}.
 *
 * <table>
 *   <caption>kinds and options</caption>
 *   <tr><th>kind</th><th>options (default)</th></tr>
 *   <tr><td>ce</td><td>none</td></tr>
 *   <tr><td>weighted_ce</td><td>w: per-class weights &gt; 0 (inverse class frequency of the training rows)</td></tr>
 *   <tr><td>gated</td><td>m: margin, 1/classes &lt; m &lt; 1 (0.7)</td></tr>
 *   <tr><td>soft_gated</td><td>m (0.7); k: sharpness &gt; 0 (20)</td></tr>
 *   <tr><td>focal</td><td>g: gamma in [0, 10] (2); a: per-class alpha in (0, 1] (all 1)</td></tr>
 * </table>
 */
public final class LossSpec {

    public static final double DEFAULT_MARGIN = 0.7;
    public static final double DEFAULT_SHARPNESS = 20;
    public static final double DEFAULT_GAMMA = 2;
    public static final double MAX_GAMMA = 10;

    /** The kinds the softmax classifier can train with. */
    public static final List<String> KINDS = List.of("ce", "weighted_ce", "gated", "soft_gated", "focal");

    private final String name;
    private final String kind;
    private final Double margin;
    private final Double sharpness;
    private final Double gamma;
    private final double[] alpha;
    private final double[] classWeights;

    private LossSpec(String name, String kind, Double margin, Double sharpness, Double gamma, double[] alpha,
                     double[] classWeights) {
        this.name = name;
        this.kind = kind;
        this.margin = margin;
        this.sharpness = sharpness;
        this.gamma = gamma;
        this.alpha = alpha;
        this.classWeights = classWeights;
        validateRanges();
    }

    /** Parses a comma-separated LIST of loss configurations; at least one, no duplicates. */
    public static List<LossSpec> parseList(String list) {
        if (list == null || list.isBlank()) {
            throw new IllegalArgumentException("the loss list is empty; name at least one loss, e.g. ce,gated:m=0.7");
        }
        List<LossSpec> specs = new ArrayList<>();
        for (String item : list.split(",", -1)) {
            String trimmed = item.strip();
            if (trimmed.isEmpty()) {
                throw new IllegalArgumentException("empty entry in the loss list '" + list + "'");
            }
            if (Character.isDigit(trimmed.charAt(0)) || trimmed.charAt(0) == '.') {
                throw new IllegalArgumentException("'" + trimmed + "' in '" + list + "' is not a loss kind; "
                        + "separate per-class values with '/' (e.g. focal:g=2:a=0.25/0.75)");
            }
            LossSpec spec = parse(trimmed);
            for (LossSpec other : specs) {
                if (other.name.equals(spec.name)) {
                    throw new IllegalArgumentException("loss '" + spec.name + "' is listed twice");
                }
            }
            specs.add(spec);
        }
        return specs;
    }

    /** Parses one {@code kind[:option=value]...}. */
    public static LossSpec parse(String text) {
        String[] parts = text.strip().split(":", -1);
        String kind = checkKind(parts[0]);
        Map<String, String> options = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("loss option '" + part + "' in '" + text
                        + "' is not of the form name=value");
            }
            String key = canonicalOption(part.substring(0, eq).strip().toLowerCase(Locale.ROOT));
            if (options.put(key, part.substring(eq + 1).strip()) != null) {
                throw new IllegalArgumentException("loss option '" + key + "' is given twice in '" + text + "'");
            }
        }
        List<String> allowed = switch (kind) {
            case "weighted_ce" -> List.of("w");
            case "gated" -> List.of("m");
            case "soft_gated" -> List.of("m", "k");
            case "focal" -> List.of("g", "a");
            default -> List.of();
        };
        for (String key : options.keySet()) {
            if (!allowed.contains(key)) {
                throw new IllegalArgumentException("loss '" + kind + "' has no option '" + key + "'"
                        + (allowed.isEmpty() ? " (it takes none)" : "; its options are " + String.join(", ", allowed))
                        + ", in '" + text + "'");
            }
        }
        return withDefaults(text.strip(), kind,
                number(options.get("m"), "m", text), number(options.get("k"), "k", text),
                number(options.get("g"), "g", text), numbers(options.get("a"), "a", text),
                numbers(options.get("w"), "w", text));
    }

    private static LossSpec withDefaults(String name, String kind, Double margin, Double sharpness, Double gamma,
                                         double[] alpha, double[] weights) {
        boolean gatedKind = kind.equals("gated") || kind.equals("soft_gated");
        return new LossSpec(name, kind,
                gatedKind && margin == null ? Double.valueOf(DEFAULT_MARGIN) : margin,
                kind.equals("soft_gated") && sharpness == null ? Double.valueOf(DEFAULT_SHARPNESS) : sharpness,
                kind.equals("focal") && gamma == null ? Double.valueOf(DEFAULT_GAMMA) : gamma,
                alpha, weights);
    }

    /** The name as given (or built from the options), used in reports. */
    public String name() {
        return name;
    }

    public String kind() {
        return kind;
    }

    /** The gate's margin for the gated kinds, else null. */
    public Double margin() {
        return margin;
    }

    /** The options in effect, defaults included; weighted_ce's weights appear once resolved. */
    public Map<String, Object> params() {
        Map<String, Object> p = new LinkedHashMap<>();
        if (margin != null) {
            p.put("m", margin);
        }
        if (sharpness != null) {
            p.put("k", sharpness);
        }
        if (gamma != null) {
            p.put("g", gamma);
        }
        if (alpha != null) {
            p.put("a", toList(alpha));
        }
        if (kind.equals("weighted_ce")) {
            p.put("w", classWeights != null ? toList(classWeights) : "inverse class frequency");
        }
        return p;
    }

    /**
     * Checks the options that depend on the number of classes (the margin's lower bound
     * {@code 1/classes}, the length of per-class lists).
     */
    public void validateFor(int classes) {
        if (margin != null && !(margin > 1.0 / classes && margin < 1)) {
            throw new IllegalArgumentException(kind + ": margin m=" + format(margin) + " is out of range: it needs "
                    + "1/classes < m < 1, i.e. " + format(1.0 / classes) + " < m < 1 for " + classes + " classes");
        }
        if (alpha != null && alpha.length != classes) {
            throw new IllegalArgumentException(kind + ": alpha has " + alpha.length + " values but the data has "
                    + classes + " classes");
        }
        if (classWeights != null && classWeights.length != classes) {
            throw new IllegalArgumentException(kind + ": class weights have " + classWeights.length
                    + " values but the data has " + classes + " classes");
        }
    }

    /**
     * The loss kernel for training on rows with these class counts; weighted_ce without weights
     * uses inverse class frequency, {@code w_c = rows / (classes * count_c)} (mean weight 1 over rows).
     */
    public FusedLoss create(int[] classCounts) {
        validateFor(classCounts.length);
        double[] weights = classWeights;
        if (kind.equals("weighted_ce") && weights == null) {
            weights = inverseFrequency(classCounts);
        }
        return switch (kind) {
            case "ce" -> Losses.crossEntropy();
            case "weighted_ce" -> Losses.weightedCrossEntropy(floats(weights));
            case "gated" -> Losses.gated(margin.floatValue());
            case "soft_gated" -> Losses.softGated(margin.floatValue(), sharpness.floatValue());
            case "focal" -> alpha == null ? Losses.focal(gamma.floatValue())
                    : Losses.focal(gamma.floatValue(), floats(alpha));
            default -> throw new IllegalStateException("no kernel for loss kind " + kind);
        };
    }

    private static float[] floats(double[] values) {
        float[] out = new float[values.length];
        for (int i = 0; i < out.length; i++) {
            out[i] = (float) values[i];
        }
        return out;
    }

    /** {@code rows / (classes * count_c)}; a class with no rows gets weight 0. */
    public static double[] inverseFrequency(int[] classCounts) {
        long rows = Arrays.stream(classCounts).asLongStream().sum();
        double[] w = new double[classCounts.length];
        for (int c = 0; c < w.length; c++) {
            w[c] = classCounts[c] == 0 ? 0 : (double) rows / ((double) classCounts.length * classCounts[c]);
        }
        return w;
    }

    private void validateRanges() {
        if (margin != null && !(margin > 0 && margin < 1)) {
            throw new IllegalArgumentException(kind + ": margin m=" + format(margin)
                    + " is out of range: it needs 1/classes < m < 1");
        }
        if (sharpness != null && !(sharpness > 0 && Double.isFinite(sharpness))) {
            throw new IllegalArgumentException(kind + ": sharpness k=" + format(sharpness)
                    + " is out of range: it needs k > 0");
        }
        if (gamma != null && !(gamma >= 0 && gamma <= MAX_GAMMA)) {
            throw new IllegalArgumentException(kind + ": gamma g=" + format(gamma)
                    + " is out of range: it needs 0 <= g <= " + format(MAX_GAMMA));
        }
        checkRange(alpha, "alpha a", 1);
        checkRange(classWeights, "class weight w", Double.POSITIVE_INFINITY);
    }

    /** Each value in {@code (0, max]} and finite. */
    private void checkRange(double[] values, String what, double max) {
        if (values != null) {
            for (double v : values) {
                if (!(v > 0 && v <= max && Double.isFinite(v))) {
                    throw new IllegalArgumentException(kind + ": " + what + "=" + format(v) + " is out of range: each "
                            + "value needs to be " + (max == 1 ? "in (0, 1]" : "> 0"));
                }
            }
        }
    }

    private static String checkKind(String kind) {
        String k = kind.strip().toLowerCase(Locale.ROOT);
        if (!KINDS.contains(k)) {
            throw new IllegalArgumentException("unknown loss '" + kind.strip() + "'; the kinds are "
                    + String.join(", ", KINDS));
        }
        return k;
    }

    private static String canonicalOption(String key) {
        return switch (key) {
            case "margin" -> "m";
            case "sharpness" -> "k";
            case "gamma" -> "g";
            case "alpha" -> "a";
            case "weights", "class_weights" -> "w";
            default -> key;
        };
    }

    private static Double number(String value, String key, String text) {
        if (value == null) {
            return null;
        }
        try {
            double v = Double.parseDouble(value);
            if (Double.isNaN(v)) {
                throw new NumberFormatException();
            }
            return v;
        } catch (NumberFormatException e) {
            throw new IllegalArgumentException("loss option " + key + "='" + value + "' in '" + text
                    + "' is not a number");
        }
    }

    private static double[] numbers(String value, String key, String text) {
        if (value == null) {
            return null;
        }
        String[] parts = value.split("/", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = number(parts[i].strip(), key, text);
        }
        return out;
    }

    private static List<Double> toList(double[] values) {
        List<Double> list = new ArrayList<>();
        for (double v : values) {
            list.add(v);
        }
        return list;
    }

    /** A number without a trailing ".0". */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    @Override
    public String toString() {
        return name;
    }
}
