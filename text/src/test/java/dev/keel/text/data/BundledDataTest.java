package dev.keel.text.data;

import dev.keel.core.IdBags;
import dev.keel.text.BagOfWordsVectorizer;
import dev.keel.text.SparseVector;
import dev.keel.text.TextFormatException;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

/** The real files: the bundled fine-food reviews and, when present, the shared Chinese set. */
class BundledDataTest {

    private static final String FINE_FOODS_TRAIN = "data/fine_foods/fine_foods_train.csv";
    private static final String FINE_FOODS_TEST = "data/fine_foods/fine_foods_test.csv";
    private static final LabeledTextReader FINE_FOODS = LabeledTextReader.csv("review", "score");

    /** {@code relative} in the working directory (the module's, under Maven) or the nearest ancestor that has it. */
    private static java.util.Optional<Path> findUp(String relative) {
        for (Path dir = Path.of(System.getProperty("user.dir")).toAbsolutePath(); dir != null; dir = dir.getParent()) {
            if (java.nio.file.Files.exists(dir.resolve(relative))) {
                return java.util.Optional.of(dir.resolve(relative));
            }
        }
        return java.util.Optional.empty();
    }

    private static Path bundled(String relative) {
        return findUp(relative).orElseThrow(() -> new AssertionError(relative + " not found above "
                + System.getProperty("user.dir")));
    }

    /** A measurement-only file of ../shared/data beside the checkout, if present. */
    private static java.util.Optional<Path> sharedData(String fileName) {
        return findUp("shared/data/" + fileName);
    }

    @Test
    void fineFoodTrainingFile() throws IOException {
        LabeledDataset train = FINE_FOODS.read(bundled(FINE_FOODS_TRAIN));
        assertEquals(4000, train.size());
        assertEquals(Map.of("great", 2600, "other", 1400), train.classCountsByName());
        assertEquals(List.of("great", "other"), train.labelNames());
        assertTrue(train.skippedRows().isEmpty());
        assertTrue(train.text(1).startsWith("I absolutely LOVE this dried fruit."), train.text(1));
        assertEquals("great", train.label(1));
    }

    @Test
    void fineFoodTestFile() throws IOException {
        LabeledDataset test = FINE_FOODS.read(bundled(FINE_FOODS_TEST));
        assertEquals(1000, test.size());
        assertEquals(Map.of("great", 658, "other", 342), test.classCountsByName());
        assertTrue(test.skippedRows().isEmpty());
    }

    @Test
    void theReportsCompositionCanBeDrawn() throws IOException {
        LabeledDataset train = FINE_FOODS.read(bundled(FINE_FOODS_TRAIN));
        LabeledDataset report = Splits.subsample(train, Map.of("great", 2000, "other", 1000), 2019);
        assertEquals(Map.of("great", 2000, "other", 1000), report.classCountsByName());
    }

    @Test
    void fineFoodFeaturesEndToEnd() throws IOException {
        LabeledDataset train = FINE_FOODS.read(bundled(FINE_FOODS_TRAIN));
        LabeledDataset test = FINE_FOODS.read(bundled(FINE_FOODS_TEST)).withLabelNames(train.labelNames());
        Tokenizer tokenizer = Tokenizer.standard();
        Vocabulary vocabulary = Vocabulary.fromTexts(train.texts(), tokenizer, 2, 50_000);
        assertTrue(vocabulary.size() > 3000, vocabulary.toString());
        assertTrue(!vocabulary.contains("br") && !vocabulary.contains("quot"), "HTML leaked into the vocabulary");
        TokenIdFeaturizer featurizer = new TokenIdFeaturizer(tokenizer, vocabulary, TokenIdFeaturizer.Options.defaults());
        IdBags bags = featurizer.bags(test.texts());
        assertEquals(1000, bags.size());
        for (int id : bags.ids()) {
            assertTrue(id >= 0 && id < featurizer.dimension());
        }
        BagOfWordsVectorizer tfidf = BagOfWordsVectorizer.fit(train.texts(), tokenizer, BagOfWordsVectorizer.Options.tfIdf());
        for (SparseVector x : tfidf.transformAll(test.texts())) {
            assertEquals(1.0, x.norm(), 1e-5);
        }
    }

    @Test
    void chineseWaimaiReviewsEndToEnd() throws IOException {
        Path waimai = sharedData("waimai_10k.csv").orElse(null);
        Assumptions.assumeTrue(waimai != null, "shared/data/waimai_10k.csv not found: skipped");
        LabeledDataset d = new LabeledTextReader().withColumns("review", "label").read(waimai);
        assertEquals(11_987, d.size());
        assertEquals(Map.of("0", 7987, "1", 4000), d.classCountsByName());
        assertEquals("很快，好吃，味道足，量大", d.text(0));

        Tokenizer tokenizer = Tokenizer.standard();
        assertEquals(List.of("很", "快", "好", "吃", "味", "道", "足", "量", "大"), tokenizer.tokenize(d.text(0)));
        Splits.Split split = Splits.stratified(d, 0.2, 1);
        Vocabulary vocabulary = Vocabulary.fromTexts(split.train().texts(), tokenizer, 1, Integer.MAX_VALUE);
        int hanEntries = 0;
        for (String token : vocabulary.tokens()) {
            if (token.codePoints().anyMatch(Character::isIdeographic)) {
                assertEquals(1, token.codePointCount(0, token.length()), "ideograph not alone: " + token);
                hanEntries++;
            }
        }
        assertTrue(hanEntries > 1500, "ideographs in the vocabulary: " + hanEntries);
        // the most frequent tokens of food-delivery reviews are characters such as 的, 了, 好
        assertTrue(vocabulary.id("的") < 10 && vocabulary.id("好") < 20, vocabulary.tokens().subList(0, 20).toString());

        TokenIdFeaturizer featurizer = new TokenIdFeaturizer(tokenizer, vocabulary, TokenIdFeaturizer.Options.defaults());
        IdBags bags = featurizer.bags(split.validation().texts());
        assertEquals(split.validation().size(), bags.size());
        int bigrams = 0;
        for (int b = 0; b < bags.size(); b++) {
            assertTrue(bags.end(b) > bags.start(b), "empty bag");
            for (int k = bags.start(b); k < bags.end(b); k++) {
                assertTrue(bags.ids()[k] < featurizer.dimension());
                if (bags.ids()[k] >= vocabulary.size()) {
                    bigrams++;
                }
            }
        }
        assertTrue(bigrams > 10 * bags.size(), "character bigrams per review: " + bigrams / (double) bags.size());
        assertEquals(featurizer.bucketId("好 吃"), featurizer.ids("好吃")[2]);

        BagOfWordsVectorizer tfidf = BagOfWordsVectorizer.fit(split.train().texts(), tokenizer,
                BagOfWordsVectorizer.Options.tfIdf().withMaxNgram(2));
        SparseVector x = tfidf.transform("很好吃，送餐很快");
        assertTrue(x.get(tfidf.indexOf("好 吃")) > 0 && x.get(tfidf.indexOf("很")) > 0, x.toString());
    }

    @Test
    void chineseHotelReviewsHaveOneEmptyTextReportedNotDropped() throws IOException {
        Path hotels = sharedData("chnsenticorp_htl.csv").orElse(null);
        Assumptions.assumeTrue(hotels != null, "shared/data/chnsenticorp_htl.csv not found: skipped");
        LabeledTextReader reader = new LabeledTextReader().withColumns("review", "label");
        TextFormatException e = assertThrows(TextFormatException.class, () -> reader.read(hotels));
        assertEquals(hotels + " line 6376: empty text in column 'review'", e.getMessage());
        LabeledDataset d = reader.withSkipBadRows(true).read(hotels);
        assertEquals(7765, d.size());
        assertEquals(List.of(new SkippedRow(6376, "empty text in column 'review'")), d.skippedRows());
        assertEquals(Map.of("0", 2443, "1", 5322), d.classCountsByName());
    }

    @Test
    void gzippedMultiClassChineseReviews() throws IOException {
        Path shopping = sharedData("online_shopping_10_cats.csv.gz").orElse(null);
        Assumptions.assumeTrue(shopping != null, "shared/data/online_shopping_10_cats.csv.gz not found: skipped");
        LabeledDataset d = new LabeledTextReader().withColumns("review", "cat").withSkipBadRows(true).read(shopping);
        assertEquals(62_773, d.size());
        assertEquals(1, d.skippedRows().size());
        assertEquals(10, d.numClasses());
        assertEquals(574, d.classCountsByName().get("热水器")); // 575 in the file, one with an empty text
        assertEquals(10_000, d.classCountsByName().get("酒店"));
    }
}
