package dev.keel.examples.cli;

import dev.keel.classifier.LossSpec;
import dev.keel.nn.loss.LossKind;
import dev.keel.nn.loss.LossSyntax;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * {@code keel train}'s loss flags ({@code --loss SPEC} with {@code --margin}, {@code --sharpness},
 * {@code --gamma}, {@code --alpha}, {@code --class-weights}) as the runtime's loss syntax,
 * {@code kind[:option=value]...}: each flag is the option of that long name, appended to
 * {@code --loss}'s own text. A flag the kind has no option for is an error naming the kinds that do.
 */
final class LossFlags {

    private LossFlags() {
    }

    /** The loss, e.g. {@code soft_gated:m=0.8:k=10}; a null flag means "not given". */
    static LossSpec spec(String loss, Double margin, Double sharpness, Double gamma, double[] alpha,
                         double[] classWeights) {
        LossSpec parsed = LossSpec.parse(loss); // an unknown kind, or a bad option in --loss, first
        Map<String, String> flags = new LinkedHashMap<>();
        flags.put("--margin", margin == null ? null : LossSpec.format(margin));
        flags.put("--sharpness", sharpness == null ? null : LossSpec.format(sharpness));
        flags.put("--gamma", gamma == null ? null : LossSpec.format(gamma));
        flags.put("--alpha", alpha == null ? null : join(alpha));
        flags.put("--class-weights", classWeights == null ? null : join(classWeights));
        LossSyntax syntax = LossSyntax.forKind(parsed.kind().specName());
        String text = loss.strip();
        int options = text.indexOf(':'); // the kind by its canonical name, --loss's own options kept
        StringBuilder spec = new StringBuilder(syntax.kind()).append(options < 0 ? "" : text.substring(options));
        for (Map.Entry<String, String> flag : flags.entrySet()) {
            if (flag.getValue() == null) {
                continue;
            }
            LossSyntax.Option option = syntax.option(optionName(flag.getKey()));
            if (option == null) {
                throw new IllegalArgumentException(flag.getKey() + " does not apply to loss '" + syntax.kind()
                        + "' (only to " + String.join(", ", kindsWith(optionName(flag.getKey()))) + ")");
            }
            spec.append(':').append(option.name()).append('=').append(flag.getValue());
        }
        return LossSpec.parse(spec.toString());
    }

    /** The option a flag sets: its long name ({@code --class-weights} sets {@code weights}). */
    private static String optionName(String flag) {
        return flag.equals("--class-weights") ? "weights" : flag.substring(2);
    }

    private static List<String> kindsWith(String option) {
        List<String> kinds = new ArrayList<>();
        for (LossSyntax s : LossKind.kinds()) {
            if (LossSpec.KINDS.contains(s.kind()) && s.option(option) != null) {
                kinds.add(s.kind());
            }
        }
        return kinds;
    }

    private static String join(double[] values) {
        StringBuilder sb = new StringBuilder();
        for (double v : values) {
            sb.append(sb.length() > 0 ? "/" : "").append(LossSpec.format(v));
        }
        return sb.toString();
    }
}
