package dev.keel.text;

import org.junit.jupiter.api.Test;

import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

class BagOfWordsVectorizerTest {

    // term counts a 3, b 2, c 2 -> features a 0, b 1, c 2; document frequencies a 1, b 2, c 2
    private static final List<String> TRAIN = List.of("a a b", "b c", "c a");
    private final Tokenizer tokenizer = Tokenizer.standard();

    @Test
    void tfIdfWithSublinearTfAndL2Norm() {
        BagOfWordsVectorizer v = BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.tfIdf());
        assertEquals(3, v.dimension());
        assertEquals(List.of("a", "b", "c"), List.of(v.feature(0), v.feature(1), v.feature(2)));
        assertEquals(2, v.documentFrequency(0));
        assertEquals(2, v.documentFrequency(1));
        // idf = ln((1 + 3) / (1 + 2)) + 1 for every term here
        double idf = Math.log(4.0 / 3.0) + 1;
        assertEquals(idf, v.idf(0), 1e-6);
        // "a a b d": a tf = 1 + ln 2, b tf = 1; d unknown, ignored
        double wa = (1 + Math.log(2)) * idf;
        double wb = idf;
        double norm = Math.sqrt(wa * wa + wb * wb);
        SparseVector x = v.transform("a a b d");
        assertArrayEquals(new int[] {0, 1}, x.indices());
        assertEquals(wa / norm, x.values()[0], 1e-6);
        assertEquals(wb / norm, x.values()[1], 1e-6);
        assertEquals(1.0, x.norm(), 1e-6);
    }

    @Test
    void idfFavoursRareTerms() {
        BagOfWordsVectorizer v = BagOfWordsVectorizer.fit(List.of("x y", "x z", "x"), tokenizer,
                BagOfWordsVectorizer.Options.tfIdf().withL2Normalize(false).withSublinearTf(false));
        int x = v.indexOf("x");
        int y = v.indexOf("y");
        assertEquals(Math.log(4.0 / 4.0) + 1, v.idf(x), 1e-6);
        assertEquals(Math.log(4.0 / 2.0) + 1, v.idf(y), 1e-6);
        SparseVector vec = v.transform("x x y");
        assertEquals(2 * v.idf(x), vec.get(x), 1e-6);
        assertEquals(v.idf(y), vec.get(y), 1e-6);
    }

    @Test
    void countsAndBinary() {
        BagOfWordsVectorizer counts = BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.counts());
        SparseVector c = counts.transform("c c c a");
        assertArrayEquals(new int[] {0, 2}, c.indices());
        assertArrayEquals(new float[] {1, 3}, c.values());
        BagOfWordsVectorizer binary = BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.binary());
        assertArrayEquals(new float[] {1, 1}, binary.transform("c c c a").values());
        assertEquals(0, binary.transform("nothing known").nnz());
        assertEquals(0, BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.tfIdf())
                .transform("").nnz());
    }

    @Test
    void wordNgramsAreTerms() {
        BagOfWordsVectorizer v = BagOfWordsVectorizer.fit(List.of("not good", "very good", "not bad"), tokenizer,
                BagOfWordsVectorizer.Options.counts().withMaxNgram(2));
        int notGood = v.indexOf("not good");
        SparseVector x = v.transform("Not good, not good at all");
        assertEquals(2, x.get(notGood));
        assertEquals(2, x.get(v.indexOf("not")));
        assertEquals(-1, v.indexOf("good at"));
        assertEquals(-1, v.indexOf("<unk>"));
    }

    @Test
    void minCountAndMaxFeaturesLimitTheTerms() {
        BagOfWordsVectorizer v = BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.counts().withMinCount(3));
        assertEquals(1, v.dimension());
        assertEquals("a", v.feature(0));
        BagOfWordsVectorizer top2 = BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.counts().withMaxFeatures(2));
        assertEquals(2, top2.dimension());
    }

    @Test
    void fittedOnTrainingOnlyAndStable() {
        BagOfWordsVectorizer v = BagOfWordsVectorizer.fit(TRAIN, tokenizer, BagOfWordsVectorizer.Options.tfIdf());
        SparseVector before = v.transform("a b c");
        v.transformAll(List.of("a a a a", "b b b b b", "new words only"));
        SparseVector after = v.transform("a b c");
        assertArrayEquals(before.indices(), after.indices());
        assertArrayEquals(before.values(), after.values());
        assertEquals(3, v.trainingDocuments());
    }

    @Test
    void sparseVectorChecksItsForm() {
        SparseVector x = new SparseVector(5, new int[] {1, 3}, new float[] {2, -1});
        assertEquals(2 * 10 - 1 * 30, x.dot(new float[] {0, 10, 20, 30, 40}), 1e-9);
        assertArrayEquals(new float[] {0, 2, 0, -1, 0}, x.toDense());
        assertEquals(0, x.get(0));
        assertThrows(IllegalArgumentException.class, () -> new SparseVector(5, new int[] {3, 1}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new SparseVector(5, new int[] {1, 1}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> new SparseVector(5, new int[] {5}, new float[1]));
        assertThrows(IllegalArgumentException.class, () -> new SparseVector(5, new int[] {1}, new float[2]));
        assertThrows(IllegalArgumentException.class, () -> x.dot(new float[4]));
    }
}
