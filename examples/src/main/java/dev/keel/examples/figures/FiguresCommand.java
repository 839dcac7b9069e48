package dev.keel.examples.figures;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;

import java.io.IOException;
import java.nio.file.Path;
import java.util.concurrent.Callable;

/** {@code keel figures --out DIR}: the loss figures, every curve computed by the loss kernels. */
@Command(name = "figures", mixinStandardHelpOptions = true,
        description = {"Draws the report's Figure 1 (the gate against the predicted probability, wrong-easily area "
                + "shaded) and per-row loss and gradient against p_t for cross entropy, gated, soft-gated and "
                + "focal losses, as PNG with the curve data as CSV beside each. Every value comes from keel's "
                + "loss kernels."})
public final class FiguresCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Option(names = "--out", paramLabel = "DIR", defaultValue = "keel-out/figures",
            description = "Folder for the PNG and CSV files (created if needed; default: ${DEFAULT-VALUE}).")
    Path out;

    @Override
    public Integer call() throws IOException {
        for (Path file : LossFigures.write(out)) {
            spec.commandLine().getOut().println(file);
        }
        return 0;
    }

    /** Runs {@code figures} on its own (it is also a subcommand of {@code keel}). */
    public static void main(String[] args) {
        System.exit(new CommandLine(new FiguresCommand()).execute(args));
    }
}
