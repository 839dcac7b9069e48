package dev.keel.examples;

import dev.keel.classifier.AtomicDirectory;
import dev.keel.classifier.InputException;
import dev.keel.core.kernel.Kernels;
import dev.keel.examples.cli.CompareCommand;
import dev.keel.examples.cli.EvalCommand;
import dev.keel.examples.cli.PredictCommand;
import dev.keel.examples.cli.TrainCommand;
import dev.keel.examples.cli.Usage;
import dev.keel.examples.figures.FiguresCommand;
import dev.keel.examples.walkthrough.WalkthroughCommand;
import picocli.CommandLine;
import picocli.CommandLine.Command;

import java.io.PrintWriter;
import java.nio.file.FileSystemException;
import java.util.Arrays;

/**
 * The {@code keel} command line: train, eval, predict, compare; figures and walkthrough for studying
 * the gated loss.
 *
 * <p>Exit status: 0 on success, 1 on a runtime error (a missing file, a bad column, a folder that
 * is not a keel model; one line on stderr, the stack trace only with {@code --debug}), 2 on a usage
 * error (an unknown option, a value out of range; one line naming it).
 */
@Command(name = "keel", mixinStandardHelpOptions = true, versionProvider = KeelCli.Version.class,
        subcommands = {TrainCommand.class, EvalCommand.class, PredictCommand.class, CompareCommand.class,
                FiguresCommand.class, WalkthroughCommand.class, CommandLine.HelpCommand.class},
        description = "Text classification on imbalanced data with gated cross entropy, focal loss and friends.",
        footer = {"", "Start with: keel compare   (the report's experiment on the bundled reviews)"})
public final class KeelCli implements Runnable {

    public static final String VERSION = "0.1.0-SNAPSHOT";

    /** Held so the level set on it is not lost to garbage collection. */
    private static final java.util.logging.Logger KEEL_LOGGER = java.util.logging.Logger.getLogger("dev.keel");

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "name a command: train, eval, predict, compare, figures or walkthrough");
    }

    /** {@code keel --version}: the version and the kernel path in use. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            return new String[] {"keel " + VERSION, Kernels.describe(),
                    "java " + System.getProperty("java.version") + " (" + System.getProperty("java.vm.name") + ")"};
        }
    }

    public static void main(String[] args) {
        // Ctrl-C or kill ends the JVM through its shutdown hooks: say so in one line (output
        // folders clean up after themselves, see AtomicDirectory). Not on a normal exit.
        java.util.concurrent.atomic.AtomicBoolean finished = new java.util.concurrent.atomic.AtomicBoolean();
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            if (!finished.get()) {
                System.err.println("keel: interrupted; nothing unfinished was saved (model and report folders are "
                        + "written whole or not at all)");
                System.err.flush();
            }
        }, "keel-interrupted"));
        int status = run(args, new PrintWriter(System.out, true), new PrintWriter(System.err, true));
        finished.set(true);
        System.exit(status);
    }

    /** Runs the command line with these streams and returns the exit status (for tests too). */
    public static int run(String[] args, PrintWriter out, PrintWriter err) {
        boolean debug = Arrays.asList(args).contains("--debug");
        // The kernel choice is logged at INFO when the kernels load; keep stderr for errors and progress.
        KEEL_LOGGER.setLevel(debug ? java.util.logging.Level.INFO : java.util.logging.Level.WARNING);
        CommandLine cli = new CommandLine(new KeelCli());
        cli.setOut(out);
        cli.setErr(err);
        cli.setParameterExceptionHandler((e, arguments) -> {
            CommandLine command = e.getCommandLine();
            String name = command.getCommandSpec().qualifiedName();
            err.println(name + ": " + firstLine(e.getMessage()) + " (see '" + name + " --help')");
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.USAGE;
        });
        cli.setExecutionExceptionHandler((e, command, parseResult) -> {
            String name = command.getCommandSpec().qualifiedName();
            String message = e instanceof InputException ie ? firstLine(Usage.message(ie))
                    : e instanceof FileSystemException fse ? firstLine(InputException.describe(fse))
                    : unexpected(e, debug);
            err.println(name + ": " + message);
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        });
        try {
            return cli.execute(args);
        } catch (OutOfMemoryError e) {
            err.println("keel: out of memory; try fewer --buckets or a smaller --dim, or more heap with "
                    + "KEEL_JAVA_OPTS=-Xmx4g");
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        } catch (StackOverflowError | LinkageError e) { // errors picocli does not handle: still one line
            err.println("keel: " + unexpected(e, debug));
            if (debug) {
                e.printStackTrace(err);
            }
            err.flush();
            return CommandLine.ExitCode.SOFTWARE;
        }
    }

    /** One line for an exception keel did not expect (a bug, or an environment problem). */
    private static String unexpected(Throwable e, boolean debug) {
        return firstLine(e.getClass().getSimpleName() + ": " + e.getMessage())
                + (debug ? "" : " (run again with --debug for the stack trace)");
    }

    /** Longest message printed: a value quoted from a hostile file can be megabytes long. */
    static final int MAX_MESSAGE_CHARS = 1000;

    /** The message's first line, at most {@value #MAX_MESSAGE_CHARS} characters. */
    static String firstLine(String message) {
        if (message == null) {
            return "(no message)";
        }
        int nl = message.indexOf('\n');
        int cr = message.indexOf('\r');
        int end = nl < 0 ? cr : cr < 0 ? nl : Math.min(nl, cr);
        String line = end < 0 ? message : message.substring(0, end);
        // Control characters quoted from a binary file (NUL, ESC) must not reach the terminal as they are.
        StringBuilder sb = new StringBuilder();
        for (int i = 0; i < line.length() && sb.length() <= MAX_MESSAGE_CHARS; i++) {
            char c = line.charAt(i);
            if (Character.isISOControl(c) && c != '\t') {
                sb.append(String.format(java.util.Locale.ROOT, "\\u%04x", (int) c));
            } else {
                sb.append(c);
            }
        }
        if (sb.length() > MAX_MESSAGE_CHARS) {
            sb.setLength(MAX_MESSAGE_CHARS);
            sb.append("... (").append(line.length()).append(" characters)");
        }
        return sb.toString();
    }
}
