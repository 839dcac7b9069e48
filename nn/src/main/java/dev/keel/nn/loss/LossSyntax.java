package dev.keel.nn.loss;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * How one loss kind is written: {@code kind[:option=value]...}, e.g. {@code soft_gated:m=0.7:k=20}
 * or {@code focal:g=2:a=0.25/0.75} (per-class values separated by {@code /}). Options have a short
 * and a long name ({@code m} or {@code margin}) and may have a default. Each kind declares its own
 * syntax beside its math; {@link LossKind#KINDS} lists them.
 *
 * <p>Every problem is an {@link IllegalArgumentException} that names the entry: an unknown kind or
 * option, an option given twice, a value that is not a number, and (from the kind's own checks) a
 * value out of range.
 */
public final class LossSyntax {

    /**
     * One option.
     *
     * @param name         the short name, e.g. {@code m}
     * @param longName     the long name, e.g. {@code margin}
     * @param defaultValue the value when not given, or null for none
     * @param perClass     a list of numbers, one per class
     */
    public record Option(String name, String longName, Double defaultValue, boolean perClass) {

        /** A number with a default (null: none). */
        public static Option number(String name, String longName, Double defaultValue) {
            return new Option(name, longName, defaultValue, false);
        }

        /** A per-class list of numbers, without a default. */
        public static Option perClass(String name, String longName) {
            return new Option(name, longName, null, true);
        }
    }

    /** The parsed options of one entry, by short name, with the defaults filled in. */
    public static final class Values {
        private final Map<String, Object> values;

        private Values(Map<String, Object> values) {
            this.values = values;
        }

        /** A number option as a float, or NaN when absent without a default. */
        public float number(String name) {
            Object v = values.get(name);
            return v == null ? Float.NaN : (float) (double) (Double) v;
        }

        /** A per-class option as floats, or null when absent. */
        public float[] numbers(String name) {
            double[] v = (double[]) values.get(name);
            if (v == null) {
                return null;
            }
            float[] out = new float[v.length];
            for (int i = 0; i < v.length; i++) {
                out[i] = (float) v[i];
            }
            return out;
        }
    }

    private final String kind;
    private final boolean binary;
    private final List<Option> options;
    private final Function<Values, LossKind> factory;

    /**
     * @param kind    the kind's name, e.g. {@code gated}
     * @param binary  one logit per row
     * @param factory makes the kind from its values (and checks their ranges)
     */
    public LossSyntax(String kind, boolean binary, List<Option> options, Function<Values, LossKind> factory) {
        this.kind = kind;
        this.binary = binary;
        this.options = List.copyOf(options);
        this.factory = factory;
    }

    /** The kind's name. */
    public String kind() {
        return kind;
    }

    /** One logit per row. */
    public boolean binary() {
        return binary;
    }

    public List<Option> options() {
        return options;
    }

    /** The option called {@code name} (short or long), or null. */
    public Option option(String name) {
        for (Option o : options) {
            if (o.name().equals(name) || o.longName().equals(name)) {
                return o;
            }
        }
        return null;
    }

    /** The syntax of the kind called {@code name} (as {@link LossKind#specName()}), or null. */
    public static LossSyntax forKind(String name) {
        for (LossSyntax s : LossKind.kinds()) {
            if (s.kind.equals(name)) {
                return s;
            }
        }
        return null;
    }

    /** Parses {@code text} against {@code kinds}: the entry's kind must be one of them. */
    static LossKind parse(String text, List<LossSyntax> kinds) {
        String[] parts = text.strip().split(":", -1);
        String name = parts[0].strip().toLowerCase(Locale.ROOT);
        LossSyntax syntax = null;
        List<String> names = new ArrayList<>();
        for (LossSyntax s : kinds) {
            names.add(s.kind);
            if (s.kind.equals(name)) {
                syntax = s;
            }
        }
        if (syntax == null) {
            throw new IllegalArgumentException("unknown loss '" + parts[0].strip() + "'; the kinds are "
                    + String.join(", ", names));
        }
        return syntax.parseOptions(text, parts);
    }

    private LossKind parseOptions(String text, String[] parts) {
        Map<String, Object> values = new LinkedHashMap<>();
        for (int i = 1; i < parts.length; i++) {
            String part = parts[i];
            int eq = part.indexOf('=');
            if (eq <= 0 || eq == part.length() - 1) {
                throw new IllegalArgumentException("loss option '" + part + "' in '" + text
                        + "' is not of the form name=value");
            }
            String key = part.substring(0, eq).strip().toLowerCase(Locale.ROOT);
            Option option = option(key);
            if (option == null) {
                List<String> allowed = options.stream().map(Option::name).toList();
                throw new IllegalArgumentException("loss '" + kind + "' has no option '" + key + "'"
                        + (allowed.isEmpty() ? " (it takes none)" : "; its options are " + String.join(", ", allowed))
                        + ", in '" + text + "'");
            }
            String value = part.substring(eq + 1).strip();
            Object parsed = option.perClass() ? numbers(value, option.name(), text) : number(value, option.name(), text);
            if (values.put(option.name(), parsed) != null) {
                throw new IllegalArgumentException("loss option '" + option.name() + "' is given twice in '" + text + "'");
            }
        }
        for (Option option : options) {
            if (!values.containsKey(option.name()) && option.defaultValue() != null) {
                values.put(option.name(), option.defaultValue());
            }
        }
        return factory.apply(new Values(values));
    }

    private static Double number(String value, String key, String text) {
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
        String[] parts = value.split("/", -1);
        double[] out = new double[parts.length];
        for (int i = 0; i < parts.length; i++) {
            out[i] = number(parts[i].strip(), key, text);
        }
        return out;
    }

    // ---- for the kinds' own files: checks with one message form, and options as they are reported ----

    /** A float as the shortest decimal that reads back as it (0.7f is 0.7), for reports and messages. */
    public static double decimal(float v) {
        return Double.parseDouble(Float.toString(v));
    }

    /** A number without a trailing ".0". */
    public static String format(double v) {
        return v == Math.rint(v) && Math.abs(v) < 1e15 ? Long.toString((long) v) : Double.toString(v);
    }

    /**
     * A kind and its options as the syntax writes them, e.g. {@code soft_gated:m=0.7:k=20}; an option
     * whose value is not a number or a list of numbers (an unresolved default) is left out.
     */
    public static String written(String kind, Map<String, Object> options) {
        StringBuilder s = new StringBuilder(kind);
        for (Map.Entry<String, Object> e : options.entrySet()) {
            if (e.getValue() instanceof Double d) {
                s.append(':').append(e.getKey()).append('=').append(format(d));
            } else if (e.getValue() instanceof List<?> list) {
                s.append(':').append(e.getKey()).append('=');
                for (int i = 0; i < list.size(); i++) {
                    s.append(i > 0 ? "/" : "").append(format((Double) list.get(i)));
                }
            }
        }
        return s.toString();
    }

    /** Per-class floats as the list of decimals the options report. */
    public static List<Double> decimals(float[] values) {
        List<Double> list = new ArrayList<>(values.length);
        for (float v : values) {
            list.add(decimal(v));
        }
        return list;
    }

    /** Throws {@code "kind: what name=value is out of range: it needs range"} unless {@code ok}. */
    static void check(boolean ok, String kind, String what, String name, float value, String range) {
        if (!ok) {
            throw new IllegalArgumentException(kind + ": " + what + " " + name + "=" + format(decimal(value))
                    + " is out of range: it needs " + range);
        }
    }

    /**
     * A copy of per-class values, each finite and in {@code [min, max]} (above {@code min} unless
     * {@code minAllowed}), at least one above 0; the message names the class.
     */
    static float[] checkedPerClass(float[] values, String kind, String what, String name, float min,
                                   boolean minAllowed, float max, String range) {
        if (values == null) {
            throw new IllegalArgumentException(kind + ": the " + what + "s are null");
        }
        boolean positive = false;
        for (int c = 0; c < values.length; c++) {
            float v = values[c];
            boolean ok = Float.isFinite(v) && (minAllowed ? v >= min : v > min) && v <= max;
            if (!ok) {
                throw new IllegalArgumentException(kind + ": " + what + " " + name + "=" + format(decimal(v))
                        + " of class " + c + " is out of range: each value needs to be " + range);
            }
            positive |= v > 0;
        }
        if (!positive) {
            throw new IllegalArgumentException(kind + ": every " + what + " is 0; at least one class needs a " + what
                    + " above 0");
        }
        return values.clone();
    }

    /** Throws unless a per-class list has one value per class. */
    static void checkLength(float[] values, int classes, String kind, String what) {
        if (values != null && values.length != classes) {
            throw new IllegalArgumentException(kind + ": " + what + " has " + values.length
                    + " values but the data has " + classes + " classes");
        }
    }

    /** Throws unless {@code 1/classes < margin < 1}. */
    static void checkMargin(String kind, float margin, int classes) {
        if (!(margin > 1f / classes && margin < 1f)) {
            throw new IllegalArgumentException(kind + ": margin m=" + format(decimal(margin)) + " is out of range: it"
                    + " needs 1/classes < m < 1, i.e. " + format(decimal(1f / classes)) + " < m < 1 for " + classes
                    + " classes");
        }
    }
}
