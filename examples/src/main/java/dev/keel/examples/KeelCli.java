package dev.keel.examples;

import dev.keel.core.kernel.Kernels;

/** The {@code keel} command line. */
public final class KeelCli {

    private KeelCli() {
    }

    public static void main(String[] args) {
        System.err.println(Kernels.describe());
        System.err.println("keel: the experiment is not built yet (see the open issues); nothing was run.");
        System.exit(1);
    }
}
