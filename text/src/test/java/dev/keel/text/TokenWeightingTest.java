package dev.keel.text;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import org.junit.jupiter.api.Test;

import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenWeightingTest {

    /** Random bags over {@code dimension} ids, ids repeating within bags; some bags of one id. */
    private static IdBags randomBags(KeelRandom random, int bags, int dimension) {
        int[][] perText = new int[bags][];
        for (int b = 0; b < bags; b++) {
            perText[b] = new int[1 + random.nextInt(12)];
            for (int j = 0; j < perText[b].length; j++) {
                perText[b][j] = random.nextInt(dimension);
            }
        }
        return IdBags.of(perText);
    }

    /** scikit-learn's smoothed idf, from the bags' document frequencies counted here in a set per bag. */
    private static double[] referenceIdf(IdBags bags, int dimension) {
        int[] df = new int[dimension];
        for (int b = 0; b < bags.size(); b++) {
            Set<Integer> seen = new HashSet<>();
            for (int id : bags.bag(b)) {
                seen.add(id);
            }
            for (int id : seen) {
                df[id]++;
            }
        }
        double[] idf = new double[dimension];
        for (int id = 0; id < dimension; id++) {
            idf[id] = Math.log((1.0 + bags.size()) / (1.0 + df[id])) + 1;
        }
        return idf;
    }

    @Test
    void tfidfWithL2IsScikitLearnsRowSpreadOverTheIdsOccurrences() {
        KeelRandom random = new KeelRandom(5);
        int dimension = 30;
        IdBags bags = randomBags(random, 50, dimension);
        double[] idf = referenceIdf(bags, dimension);
        IdBags weighted = TokenWeighting.tfidf(bags, dimension, TokenWeighting.Norm.L2).apply(bags);
        assertTrue(weighted.weighted());
        for (int b = 0; b < bags.size(); b++) {
            Map<Integer, Double> row = new HashMap<>(); // tf * idf per id, then l2-normalised
            for (int id : bags.bag(b)) {
                row.merge(id, idf[id], Double::sum);
            }
            double norm = Math.sqrt(row.values().stream().mapToDouble(v -> v * v).sum());
            Map<Integer, Double> total = new HashMap<>(); // what the weights of each id add up to
            for (int j = bags.start(b); j < bags.end(b); j++) {
                assertEquals(idf[bags.ids()[j]] / norm, weighted.weights()[j], 1e-6, "bag " + b + " position " + j);
                total.merge(bags.ids()[j], (double) weighted.weights()[j], Double::sum);
            }
            for (Map.Entry<Integer, Double> e : row.entrySet()) {
                assertEquals(e.getValue() / norm, total.get(e.getKey()), 1e-5);
            }
        }
    }

    @Test
    void meanWeightsSumToOneAndSumWeightsAreTheIdfs() {
        KeelRandom random = new KeelRandom(6);
        IdBags bags = randomBags(random, 40, 25);
        double[] idf = referenceIdf(bags, 25);
        IdBags mean = TokenWeighting.tfidf(bags, 25, TokenWeighting.Norm.MEAN).apply(bags);
        IdBags sum = TokenWeighting.tfidf(bags, 25, TokenWeighting.Norm.SUM).apply(bags);
        IdBags uniformL2 = TokenWeighting.uniform(TokenWeighting.Norm.L2).apply(bags);
        for (int b = 0; b < bags.size(); b++) {
            double total = 0;
            Map<Integer, Integer> tf = new HashMap<>();
            for (int j = bags.start(b); j < bags.end(b); j++) {
                total += mean.weights()[j];
                assertEquals(idf[bags.ids()[j]], sum.weights()[j], 1e-6);
                tf.merge(bags.ids()[j], 1, Integer::sum);
            }
            assertEquals(1, total, 1e-6, "bag " + b);
            double tfNorm = Math.sqrt(tf.values().stream().mapToDouble(v -> (double) v * v).sum());
            for (int j = bags.start(b); j < bags.end(b); j++) {
                assertEquals(1 / tfNorm, uniformL2.weights()[j], 1e-6);
            }
        }
    }

    @Test
    void noneLeavesTheBagsUnweighted() {
        IdBags bags = randomBags(new KeelRandom(7), 10, 20);
        TokenWeighting none = TokenWeighting.none();
        assertFalse(none.weighs());
        assertSame(bags, none.apply(bags));
        assertNull(none.documentFrequencies());
        assertEquals(-1, none.idCount());
    }

    @Test
    void aFeaturizerAppliesItsWeightingAndCopiesKeepIt() {
        Tokenizer tokenizer = Tokenizer.standard();
        List<String> texts = List.of("good tea, good price", "bad tea", "tea tea tea", "fine price");
        Vocabulary vocabulary = Vocabulary.fromTexts(texts, tokenizer, 1, 100);
        TokenIdFeaturizer plain = new TokenIdFeaturizer(tokenizer, vocabulary, TokenIdFeaturizer.Options.defaults());
        IdBags bags = plain.bags(texts);
        assertFalse(bags.weighted());
        TokenIdFeaturizer tfidf = plain.withWeighting(TokenWeighting.tfidf(bags, plain.dimension(),
                TokenWeighting.Norm.L2));
        IdBags weighted = tfidf.bags(texts);
        assertArrayEquals(bags.ids(), weighted.ids());
        assertArrayEquals(tfidf.weighting().apply(bags).weights(), weighted.weights());
        assertArrayEquals(weighted.weights(), tfidf.copy().bags(texts).weights());
        // "tea" is in three of four texts, "bad" in one: in "bad tea", bad weighs more
        IdBags badTea = tfidf.bags(List.of("bad tea"));
        int bad = vocabulary.lookup("bad"), tea = vocabulary.lookup("tea");
        float badWeight = 0, teaWeight = 0;
        for (int j = 0; j < badTea.idCount(); j++) {
            badWeight += badTea.ids()[j] == bad ? badTea.weights()[j] : 0;
            teaWeight += badTea.ids()[j] == tea ? badTea.weights()[j] : 0;
        }
        assertTrue(badWeight > teaWeight, badWeight + " vs " + teaWeight);
    }

    @Test
    void storedDocumentFrequenciesAreChecked() {
        assertThrows(IllegalArgumentException.class,
                () -> TokenWeighting.tfidf(0, new int[3], TokenWeighting.Norm.L2));
        IllegalArgumentException e = assertThrows(IllegalArgumentException.class,
                () -> TokenWeighting.tfidf(5, new int[] {1, 6, 0}, TokenWeighting.Norm.L2));
        assertTrue(e.getMessage().contains("frequency 6 of id 1"), e.getMessage());
        TokenWeighting w = TokenWeighting.tfidf(4, new int[] {4, 1, 0}, TokenWeighting.Norm.SUM);
        assertEquals(Math.log(5.0 / 5.0) + 1, w.base(0), 1e-6);
        assertEquals(Math.log(5.0 / 1.0) + 1, w.base(2), 1e-6);
        Tokenizer tokenizer = Tokenizer.standard();
        Vocabulary vocabulary = Vocabulary.fromTexts(List.of("a b"), tokenizer, 1, 10);
        e = assertThrows(IllegalArgumentException.class, () -> new TokenIdFeaturizer(tokenizer, vocabulary,
                TokenIdFeaturizer.Options.defaults(), w));
        assertTrue(e.getMessage().contains("for 3 ids"), e.getMessage());
    }
}
