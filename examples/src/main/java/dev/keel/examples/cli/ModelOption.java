package dev.keel.examples.cli;

import dev.keel.classifier.TextClassifier;
import picocli.CommandLine.Option;

import java.nio.file.Path;

/** The trained model a command uses (eval, predict): {@code --model DIR}. */
public final class ModelOption {

    @Option(names = "--model", required = true, paramLabel = "DIR", description = "A model folder made by 'keel train'.")
    Path modelDir;

    /** The model folder, loaded and checked. */
    TextClassifier load() {
        return TextClassifier.load(modelDir);
    }
}
