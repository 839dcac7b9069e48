package dev.keel.text;

import dev.keel.core.IdBags;
import net.jqwik.api.Arbitraries;
import net.jqwik.api.Arbitrary;
import net.jqwik.api.ForAll;
import net.jqwik.api.Property;
import net.jqwik.api.Provide;
import net.jqwik.api.constraints.Size;

import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * The feature extractors on arbitrary Unicode (lone surrogates, combining marks, every plane):
 * they never throw, give the same features for the same text whatever was featurized before and
 * whichever instance does it, and keep their output contracts (ids in range, sorted sparse
 * indices, finite values). Vocabularies of arbitrary tokens survive a save and load.
 */
class FeaturePropertiesTest {

    private static final List<TokenIdFeaturizer.Options> OPTIONS = List.of(
            TokenIdFeaturizer.Options.defaults().withBuckets(997),
            new TokenIdFeaturizer.Options(3, 2, 5, 101, TokenIdFeaturizer.UnknownWords.HASH),
            new TokenIdFeaturizer.Options(1, 0, 0, 1, TokenIdFeaturizer.UnknownWords.DROP),
            new TokenIdFeaturizer.Options(2, 1, 1, 1 << 18, TokenIdFeaturizer.UnknownWords.UNK));

    @Property(tries = 300)
    void tokenIdsAreInRangeAndDeterministic(@ForAll("corpus") List<String> training, @ForAll("text") String text,
                                            @ForAll("text") String other) {
        Vocabulary vocabulary = Vocabulary.fromTexts(training, Tokenizer.standard(), 1, 50);
        for (TokenIdFeaturizer.Options options : OPTIONS) {
            TokenIdFeaturizer featurizer = new TokenIdFeaturizer(Tokenizer.standard(), vocabulary, options);
            int[] ids = featurizer.ids(text);
            assertTrue(ids.length > 0, "no text has an empty bag");
            for (int id : ids) {
                assertTrue(id >= 0 && id < featurizer.dimension(), id + " outside [0, " + featurizer.dimension() + ")");
            }
            featurizer.ids(other); // buffers now hold another text's state
            assertArrayEquals(ids, featurizer.ids(text), "same ids after featurizing another text");
            assertArrayEquals(ids, new TokenIdFeaturizer(Tokenizer.standard(), vocabulary, options).ids(text),
                    "same ids from another featurizer");
            IdBags bags = featurizer.bags(List.of(other, text, other));
            int from = bags.offsets()[1];
            int to = bags.offsets()[2];
            assertArrayEquals(ids, Arrays.copyOfRange(bags.ids(), from, to), "bags agree with ids");
        }
    }

    @Property(tries = 200)
    void sparseVectorsAreWellFormedAndDeterministic(@ForAll("corpus") List<String> training, @ForAll("text") String text) {
        for (BagOfWordsVectorizer.Options options : List.of(BagOfWordsVectorizer.Options.tfIdf().withMaxNgram(2),
                BagOfWordsVectorizer.Options.counts(), BagOfWordsVectorizer.Options.binary())) {
            BagOfWordsVectorizer vectorizer = BagOfWordsVectorizer.fit(training, Tokenizer.standard(), options);
            SparseVector v = vectorizer.transform(text);
            assertEquals(vectorizer.dimension(), v.dimension());
            double squares = 0;
            for (int k = 0; k < v.nnz(); k++) {
                assertTrue(v.indices()[k] >= 0 && v.indices()[k] < v.dimension());
                assertTrue(k == 0 || v.indices()[k] > v.indices()[k - 1], "indices strictly increase");
                assertTrue(Float.isFinite(v.values()[k]) && v.values()[k] > 0, "value " + v.values()[k]);
                squares += (double) v.values()[k] * v.values()[k];
            }
            if (options.l2Normalize() && v.nnz() > 0) {
                assertEquals(1.0, squares, 1e-5, "unit norm");
            }
            vectorizer.transform(training.isEmpty() ? "x" : training.get(0));
            SparseVector again = vectorizer.transform(text);
            assertArrayEquals(v.indices(), again.indices());
            assertArrayEquals(v.values(), again.values());
        }
    }

    @Property(tries = 200)
    void vocabulariesOfAnyTokensRoundTrip(@ForAll("corpus") List<String> training) {
        Vocabulary vocabulary = Vocabulary.fromTexts(training, Tokenizer.standard(), 1, 1000);
        StringWriter out = new StringWriter();
        try {
            vocabulary.write(out);
            Vocabulary back = Vocabulary.parse(out.toString(), "vocab.tsv");
            assertEquals(vocabulary.tokens(), back.tokens());
            for (int id = 0; id < vocabulary.size(); id++) {
                assertEquals(vocabulary.count(id), back.count(id));
                assertEquals(id, back.id(vocabulary.token(id)));
            }
        } catch (IOException e) {
            throw new UncheckedIOException("a vocabulary keel wrote does not load: " + e.getMessage(), e);
        }
    }

    /** Any string (jqwik's default mixes every plane), or awkward pieces glued together. */
    @Provide
    Arbitrary<String> text() {
        Arbitrary<String> pieces = Arbitraries.of("good", "not", "好", "吃", "é", "\u0301", "\u200d", "\ud800", "\udc00",
                        "\ud83d\ude00", "'", "’", "<br />", "&amp;", " ", "\t", "\n", "\u2028", "\u0000", "\ufffd", "ß", "İ",
                        "Σ", "١٢", "ﷺ", "＄", "<", ">")
                .list().ofMaxSize(30).map(parts -> String.join("", parts));
        return Arbitraries.oneOf(Arbitraries.strings().ofMaxLength(200), Arbitraries.strings().all().ofMaxLength(60), pieces);
    }

    @Provide
    Arbitrary<List<String>> corpus() {
        return text().list().ofMaxSize(12).map(ArrayList::new);
    }

    @Property(tries = 100)
    void anyStringsAsOneBatch(@ForAll @Size(max = 20) List<@net.jqwik.api.constraints.StringLength(max = 80) String> texts) {
        Vocabulary vocabulary = Vocabulary.fromTexts(texts, Tokenizer.standard(), 1, 100);
        TokenIdFeaturizer featurizer = new TokenIdFeaturizer(Tokenizer.standard(), vocabulary,
                TokenIdFeaturizer.Options.defaults().withBuckets(64));
        IdBags bags = featurizer.bags(texts);
        assertEquals(texts.size(), bags.size());
        assertEquals(texts.size() + 1, bags.offsets().length);
        assertEquals(bags.ids().length, bags.idCount());
        TokenBuffer tokens = new TokenBuffer();
        long words = 0;
        for (int t = 0; t < texts.size(); t++) {
            assertArrayEquals(featurizer.ids(texts.get(t)), Arrays.copyOfRange(bags.ids(), bags.offsets()[t],
                    bags.offsets()[t + 1]), "text " + t);
            Tokenizer.standard().tokenize(texts.get(t), tokens);
            words += tokens.size();
        }
        assertEquals(words, bags.tokens(), "the word tokens, counted in the same pass");
    }
}
