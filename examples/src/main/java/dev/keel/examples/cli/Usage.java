package dev.keel.examples.cli;

import dev.keel.classifier.InputException;
import dev.keel.classifier.InvalidSettingException;
import picocli.CommandLine;
import picocli.CommandLine.Model.CommandSpec;

import java.util.function.Supplier;

/** Turns an option check's IllegalArgumentException into a usage error (exit status 2). */
public final class Usage {

    private Usage() {
    }

    static <T> T check(CommandSpec spec, Supplier<T> check) {
        try {
            return check.get();
        } catch (InvalidSettingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.message(Usage::flag), e);
        } catch (IllegalArgumentException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.getMessage(), e);
        }
    }

    /** Runs {@code work}; a setting the runtime refuses on the way (a metric's label, a combination) is a usage error. */
    static <T> T settings(CommandSpec spec, Supplier<T> work) {
        try {
            return work.get();
        } catch (InvalidSettingException e) {
            throw new CommandLine.ParameterException(spec.commandLine(), e.message(Usage::flag), e);
        }
    }

    /** The flag of a training setting as the runtime names it: {@code weightDecay} is {@code --weight-decay}. */
    public static String flag(String setting) {
        return "--" + setting.replaceAll("([A-Z])", "-$1").toLowerCase(java.util.Locale.ROOT);
    }

    /**
     * A runtime problem's message with its hint in the command line's terms (the runtime says
     * "lower the learning rate", the command line names {@code --lr}).
     */
    public static String message(InputException e) {
        String hint = switch (e.hint()) {
            case NONE -> "";
            case SKIP_BAD_ROWS -> " (--skip-bad-rows leaves such rows out)";
            case LOWER_LEARNING_RATE -> " (lower --lr)";
            case LOWER_LEARNING_RATE_OR_SKIP_NONFINITE -> " (lower --lr, or --skip-nonfinite skips such batches)";
        };
        return e.problem() + hint;
    }

    static CommandLine.ParameterException error(CommandSpec spec, String message) {
        return new CommandLine.ParameterException(spec.commandLine(), message);
    }
}
