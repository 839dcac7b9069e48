package dev.keel.classifier;

import java.util.ArrayList;
import java.util.List;
import java.util.function.UnaryOperator;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A training setting out of its range. The message names settings as {@link TextClassifier.Builder}
 * does ({@code epochs}, {@code weightDecay}); {@link #message(UnaryOperator)} names them another way,
 * as the command line does with its flags ({@code --epochs}, {@code --weight-decay}).
 */
public final class InvalidSettingException extends IllegalArgumentException {

    private static final long serialVersionUID = 1L;
    private static final Pattern NAME = Pattern.compile("\\{(\\w+)}");

    private final String template;

    /** @param template the message, with each setting's name in braces: {@code "{epochs} must be at least 1"} */
    InvalidSettingException(String template) {
        super(render(template, UnaryOperator.identity()));
        this.template = template;
    }

    /** The settings the message names, in order. */
    public List<String> settings() {
        List<String> names = new ArrayList<>();
        Matcher m = NAME.matcher(template);
        while (m.find()) {
            names.add(m.group(1));
        }
        return names;
    }

    /** The message with each setting named by {@code nameOf}. */
    public String message(UnaryOperator<String> nameOf) {
        return render(template, nameOf);
    }

    private static String render(String template, UnaryOperator<String> nameOf) {
        return NAME.matcher(template).replaceAll(m -> Matcher.quoteReplacement(nameOf.apply(m.group(1))));
    }
}
