package dev.keel.examples.cli;

import picocli.CommandLine.Option;

/** Options every command takes. */
public final class CommonOptions {

    @Option(names = "--debug", description = "On an error, print the stack trace too.")
    boolean debug;

    @Option(names = {"-q", "--quiet"}, description = "No progress bar or per-epoch lines on stderr.")
    boolean quiet;
}
