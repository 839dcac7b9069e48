package dev.keel.examples.walkthrough;

import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Spec;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.util.concurrent.Callable;

/** {@code keel walkthrough}: prints {@link GatedBackpropWalkthrough} (explained in docs/gated-backprop.md). */
@Command(name = "walkthrough", mixinStandardHelpOptions = true,
        description = {"Prints one training step of the gated loss on six reviews, number by number: tokens, ids, "
                + "embedding bag, logits, softmax, gate, loss, every gradient (checked by finite differences), "
                + "an SGD step. docs/gated-backprop.md explains the output."})
public final class WalkthroughCommand implements Callable<Integer> {

    @Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public Integer call() {
        // The output is a few hundred lines: collect it, then hand it to picocli's writer whole.
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        GatedBackpropWalkthrough.run(new PrintStream(bytes, true, StandardCharsets.UTF_8));
        spec.commandLine().getOut().print(bytes.toString(StandardCharsets.UTF_8));
        spec.commandLine().getOut().flush();
        return 0;
    }
}
