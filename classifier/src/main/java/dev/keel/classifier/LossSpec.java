package dev.keel.classifier;

import dev.keel.nn.loss.FusedLoss;
import dev.keel.nn.loss.GatedCrossEntropy;
import dev.keel.nn.loss.LossKind;
import dev.keel.nn.loss.LossSyntax;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * One loss configuration of a training run: the name as written and the {@link LossKind} it reads
 * as. The syntax, the options, their defaults and ranges are the kinds' own ({@code nn}'s
 * {@link LossSyntax}): {@code kind[:option=value]...}, and a LIST separates them with commas:
 * {@code ce,weighted_ce,gated:m=0.7,soft_gated:m=0.7:k=20,focal:g=2}. Per-class values (focal's
 * {@code a}, weighted_ce's {@code w}) are separated by {@code /}: {@code focal:g=2:a=0.25/0.75}.
 * The classifier trains a softmax, so the binary kinds are not among {@link #KINDS}.
 *
 * @param name the entry as written (built from the options when made by a flag), used in reports
 * @param kind the loss
 */
public record LossSpec(String name, LossKind kind) {

    public static final double DEFAULT_MARGIN = GatedCrossEntropy.DEFAULT_MARGIN;

    /** The kinds the softmax classifier can train with. */
    public static final List<String> KINDS = LossKind.kinds().stream().filter(s -> !s.binary())
            .map(LossSyntax::kind).toList();

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

    /** Parses one {@code kind[:option=value]...} of the softmax kinds. */
    public static LossSpec parse(String text) {
        String kindName = text.strip().split(":", -1)[0].strip();
        if (!KINDS.contains(kindName.toLowerCase(java.util.Locale.ROOT))) {
            throw new IllegalArgumentException("unknown loss '" + kindName + "'; the kinds are " + String.join(", ", KINDS));
        }
        return new LossSpec(text.strip(), LossKind.parse(text));
    }

    /** The gate's margin of the gated kinds, else null. */
    public Double margin() {
        return Float.isNaN(kind.margin()) ? null : LossSyntax.decimal(kind.margin());
    }

    /** The options in effect, defaults included (weighted_ce's weights as "inverse class frequency" until resolved). */
    public Map<String, Object> params() {
        return kind.options();
    }

    /** Checks the options that depend on the number of classes (a margin above 1/classes, per-class lists' length). */
    public void validateFor(int classes) {
        kind.checkClasses(classes);
    }

    /** The loss kernel for training on rows with these class counts (weighted_ce's default weights from them). */
    public FusedLoss create(int[] classCounts) {
        return FusedLoss.of(kind.forClasses(classCounts));
    }

    /** A number without a trailing ".0". */
    public static String format(double v) {
        return LossSyntax.format(v);
    }

    @Override
    public String toString() {
        return name;
    }
}
