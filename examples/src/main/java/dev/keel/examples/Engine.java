package dev.keel.examples;

import dev.keel.examples.engine.FeatureBags;
import dev.keel.examples.engine.HashedNgramFeaturizer;

import java.util.List;

/**
 * The seam between the command line and the modules that featurize text and train the classifier,
 * so that swapping implementations touches one place.
 */
public final class Engine {

    private Engine() {
    }

    /** A featurizer for these settings, fitted on the training texts where it needs to be. */
    public static HashedNgramFeaturizer featurizer(List<String> trainTexts, TrainSettings settings) {
        return new HashedNgramFeaturizer(settings.buckets(), settings.ngrams());
    }

    public static FeatureBags bags(HashedNgramFeaturizer featurizer, List<String> texts) {
        return featurizer.bags(texts);
    }

    /** The class with the fewest rows (the first of those on a tie). */
    public static int minority(int[] classCounts) {
        int m = 0;
        for (int c = 1; c < classCounts.length; c++) {
            if (classCounts[c] < classCounts[m]) {
                m = c;
            }
        }
        return m;
    }
}
