package dev.keel.text;

import dev.keel.core.IdBags;
import org.junit.jupiter.api.Test;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

class TokenIdFeaturizerTest {

    private static final int BUCKETS = 1000;
    private final Tokenizer tokenizer = Tokenizer.standard();
    // ids: <unk> 0, good 1, not 2, taste 3
    private final Vocabulary vocabulary = Vocabulary.builder().add("good", 3).add("not", 2).add("taste", 1).build(1, 10);

    private TokenIdFeaturizer featurizer(TokenIdFeaturizer.Options options) {
        return new TokenIdFeaturizer(tokenizer, vocabulary, options);
    }

    /** The bucket id of {@code s}, computed from its UTF-8 bytes independently of the featurizer. */
    private int bucket(String s) {
        return vocabulary.size() + Integer.remainderUnsigned(Fnv1a32.hash(s.getBytes(java.nio.charset.StandardCharsets.UTF_8)), BUCKETS);
    }

    @Test
    void wordsOnlyUseTheVocabularyIds() {
        TokenIdFeaturizer f = featurizer(new TokenIdFeaturizer.Options(1, 0, 0, BUCKETS, TokenIdFeaturizer.UnknownWords.UNK));
        assertArrayEquals(new int[] {2, 1, 0, 3}, f.ids("Not good, bland taste"));
        assertEquals(vocabulary.size(), f.dimension()); // no hashing: no buckets
    }

    @Test
    void wordBigramsAndTrigramsAreHashedFromTheJoinedText() {
        TokenIdFeaturizer f = featurizer(new TokenIdFeaturizer.Options(3, 0, 0, BUCKETS, TokenIdFeaturizer.UnknownWords.UNK));
        int[] expected = {2, 1, 0, 3, bucket("not good"), bucket("good bland"), bucket("bland taste"),
            bucket("not good bland"), bucket("good bland taste")};
        assertArrayEquals(expected, f.ids("Not good, bland taste"));
        assertEquals(vocabulary.size() + BUCKETS, f.dimension());
        assertEquals(bucket("not good"), f.bucketId("not good"));
    }

    @Test
    void unknownWordModes() {
        String text = "good bland";
        assertArrayEquals(new int[] {1, 0, bucket("good bland")},
                featurizer(TokenIdFeaturizer.Options.defaults().withBuckets(BUCKETS)).ids(text));
        assertArrayEquals(new int[] {1, bucket("good bland")},
                featurizer(TokenIdFeaturizer.Options.defaults().withBuckets(BUCKETS)
                        .withUnknownWords(TokenIdFeaturizer.UnknownWords.DROP)).ids(text));
        assertArrayEquals(new int[] {1, bucket("bland"), bucket("good bland")},
                featurizer(TokenIdFeaturizer.Options.defaults().withBuckets(BUCKETS)
                        .withUnknownWords(TokenIdFeaturizer.UnknownWords.HASH)).ids(text));
        TokenIdFeaturizer hashOnly = featurizer(new TokenIdFeaturizer.Options(1, 0, 0, BUCKETS, TokenIdFeaturizer.UnknownWords.HASH));
        assertEquals(vocabulary.size() + BUCKETS, hashOnly.dimension());
    }

    @Test
    void characterNgramsFollowFastText() {
        TokenIdFeaturizer f = featurizer(new TokenIdFeaturizer.Options(1, 2, 3, BUCKETS, TokenIdFeaturizer.UnknownWords.UNK));
        // "<not>": 2-grams <n no ot t>, 3-grams <no not ot>; shortest first from each start
        int[] expected = {2, bucket("<n"), bucket("<no"), bucket("no"), bucket("not"), bucket("ot"), bucket("ot>"),
            bucket("t>")};
        assertArrayEquals(expected, f.ids("not"));
        // 1-grams exclude the lone brackets; code points, not chars, for a supplementary character
        TokenIdFeaturizer unigrams = featurizer(new TokenIdFeaturizer.Options(1, 1, 1, BUCKETS, TokenIdFeaturizer.UnknownWords.DROP));
        assertArrayEquals(new int[] {bucket("a"), bucket("\uD801\uDC28")}, unigrams.ids("a\uD801\uDC28")); // U+10428 DESERET SMALL LONG I
    }

    @Test
    void characterNgramCountsMatchTheFormula() {
        TokenIdFeaturizer f = featurizer(new TokenIdFeaturizer.Options(1, 3, 6, BUCKETS, TokenIdFeaturizer.UnknownWords.DROP));
        for (String word : List.of("ab", "tasty", "abcdefghij", "naïve")) {
            int m = word.codePointCount(0, word.length()) + 2; // with "<" and ">"
            int expected = 0;
            for (int n = 3; n <= 6; n++) {
                expected += Math.max(0, m - n + 1);
            }
            assertEquals(expected, f.ids(word).length, word);
        }
        // each ideograph is a word of its own: "<好>" and "<吃>" are its only n-grams of length 3 to 6
        assertArrayEquals(new int[] {bucket("<好>"), bucket("<吃>")}, f.ids("好吃"));
    }

    @Test
    void chineseCharactersAreWordsAndBigramsJoinThem() {
        Vocabulary zh = Vocabulary.fromTexts(List.of("很好吃", "不好吃"), tokenizer, 1, 100);
        TokenIdFeaturizer f = new TokenIdFeaturizer(tokenizer, zh, TokenIdFeaturizer.Options.defaults().withBuckets(BUCKETS));
        int[] ids = f.ids("不好");
        assertEquals(zh.id("不"), ids[0]);
        assertEquals(zh.id("好"), ids[1]);
        assertEquals(zh.size() + Integer.remainderUnsigned(Fnv1a32.hash("不 好"), BUCKETS), ids[2]);
        assertEquals(3, ids.length);
    }

    @Test
    void emptyTextsGetTheUnkId() {
        TokenIdFeaturizer f = featurizer(TokenIdFeaturizer.Options.defaults().withUnknownWords(TokenIdFeaturizer.UnknownWords.DROP));
        assertArrayEquals(new int[] {0}, f.ids(""));
        assertArrayEquals(new int[] {0}, f.ids("!!! ..."));
        assertArrayEquals(new int[] {0}, f.ids("bland"));
    }

    @Test
    void batchBagsMatchPerTextIds() {
        TokenIdFeaturizer f = featurizer(TokenIdFeaturizer.Options.defaults().withCharNgrams(3, 4).withBuckets(BUCKETS));
        List<String> texts = List.of("not good", "", "good taste, good price", "很好", "taste");
        IdBags bags = f.bags(texts);
        assertEquals(texts.size(), bags.size());
        List<Integer> concatenated = new ArrayList<>();
        for (int t = 0; t < texts.size(); t++) {
            int[] single = f.ids(texts.get(t));
            assertArrayEquals(single, bags.bag(t), texts.get(t));
            for (int id : single) {
                concatenated.add(id);
                assertTrue(id >= 0 && id < f.dimension());
            }
        }
        assertArrayEquals(concatenated.stream().mapToInt(Integer::intValue).toArray(), bags.ids());
        assertEquals(0, bags.offsets()[0]);

        assertEquals(texts.size() + 1, bags.offsets().length);
        assertEquals(bags.ids().length, bags.offsets()[texts.size()]);
        assertEquals(2 + 0 + 4 + 2 + 1, bags.tokens(), "word tokens: not, good | | good, taste, good, price | 很, 好 | taste");

        int[] idsOut = new int[bags.maxIds(2)];
        int[] offsetsOut = new int[3];
        IdBags batch = bags.gather(new int[] {4, 2, 0, 1, 3}, 1, 2, idsOut, offsetsOut, null);
        assertEquals(2, batch.size());
        assertArrayEquals(f.ids(texts.get(2)), batch.bag(0));
        assertArrayEquals(f.ids(texts.get(0)), batch.bag(1));
        int[] lengths = new int[texts.size()];
        for (int t = 0; t < texts.size(); t++) {
            lengths[t] = f.ids(texts.get(t)).length;
        }
        Arrays.sort(lengths);
        assertEquals(lengths[texts.size() - 1] + lengths[texts.size() - 2], bags.maxIds(2), "the two longest bags");
    }

    @Test
    void badOptionsAndBagsAreRejected() {
        assertThrows(IllegalArgumentException.class, () -> new TokenIdFeaturizer.Options(0, 0, 0, 10, TokenIdFeaturizer.UnknownWords.UNK));
        assertThrows(IllegalArgumentException.class, () -> new TokenIdFeaturizer.Options(1, 3, 2, 10, TokenIdFeaturizer.UnknownWords.UNK));
        assertThrows(IllegalArgumentException.class, () -> new TokenIdFeaturizer.Options(1, 0, 0, 0, TokenIdFeaturizer.UnknownWords.UNK));
        assertThrows(IllegalArgumentException.class, () -> new IdBags(new int[] {1, 2}, new int[] {0, 3}));
        assertThrows(IllegalArgumentException.class, () -> new IdBags(new int[] {1, 2}, new int[] {1}));
        assertThrows(IllegalArgumentException.class, () -> new IdBags(new int[] {1, 2}, new int[] {0, 2, 1}));
        assertThrows(IllegalArgumentException.class, () -> new IdBags(new int[] {1, 2}, new int[] {0, 1}, 2, 0));
        assertThrows(IllegalArgumentException.class, () -> new IdBags(new int[] {1, 2}, new int[] {0, 1}, 1, -1));
    }
}
