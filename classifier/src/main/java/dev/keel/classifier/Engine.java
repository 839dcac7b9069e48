package dev.keel.classifier;

import dev.keel.core.IdBags;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.TokenWeighting;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;

import java.util.List;

/**
 * The seam between the command line and the modules that featurize text and train the classifier,
 * so that swapping implementations touches one place.
 *
 * <p>Features, fastText style: the {@code text} module's standard tokenizer (HTML removed, NFKC,
 * case folded; each CJK character a token), a vocabulary of the training words seen at least
 * {@value #MIN_COUNT} times (their own embedding rows), and word n-grams up to
 * {@code --ngrams} hashed into {@code --buckets} shared rows; rarer and unseen words are hashed
 * into the buckets too, so they still carry signal.
 */
public final class Engine {

    /** A word needs this many training occurrences for a row of its own. */
    public static final int MIN_COUNT = 2;
    /** At most this many words get their own rows. */
    public static final int MAX_WORDS = 1_000_000;

    private Engine() {
    }

    public static TokenIdFeaturizer.Options featureOptions(TrainSettings settings) {
        return new TokenIdFeaturizer.Options(settings.ngrams(), 0, 0, settings.buckets(),
                TokenIdFeaturizer.UnknownWords.HASH);
    }

    /** A featurizer for these settings, its vocabulary built from the training texts (unweighted: see {@link #weighting}). */
    public static TokenIdFeaturizer featurizer(List<String> trainTexts, TrainSettings settings) {
        Tokenizer tokenizer = Tokenizer.standard();
        Vocabulary vocabulary = Vocabulary.fromTexts(trainTexts, tokenizer, MIN_COUNT, MAX_WORDS);
        return new TokenIdFeaturizer(tokenizer, vocabulary, featureOptions(settings));
    }

    /** A training run's featurizer, fitted on its texts (vocabulary, token weights), and those texts' bags. */
    public record Features(TokenIdFeaturizer featurizer, IdBags trainBags) {
    }

    /** Fits the features of {@code settings} on the training texts: the vocabulary, then the token weights on their bags. */
    public static Features fit(List<String> trainTexts, TrainSettings settings) {
        TokenIdFeaturizer plain = featurizer(trainTexts, settings);
        IdBags bags = plain.bags(trainTexts);
        TokenWeighting.Norm norm = TokenWeighting.Norm.valueOf(settings.bagNorm().toUpperCase(java.util.Locale.ROOT));
        TokenWeighting weighting = settings.tokenWeights().equals("tfidf")
                ? TokenWeighting.tfidf(bags, plain.dimension(), norm) : TokenWeighting.uniform(norm);
        return new Features(plain.withWeighting(weighting), weighting.apply(bags));
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
