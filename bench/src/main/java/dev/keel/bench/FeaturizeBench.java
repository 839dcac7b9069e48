package dev.keel.bench;

import dev.keel.text.BagOfWordsVectorizer;
import dev.keel.text.SparseVector;
import dev.keel.core.IdBags;
import dev.keel.text.TokenIdFeaturizer;
import dev.keel.text.Tokenizer;
import dev.keel.text.Vocabulary;
import dev.keel.examples.RepositoryFiles;
import dev.keel.text.data.LabeledDataset;
import dev.keel.text.data.LabeledTextReader;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;

import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Reading and featurizing the 4,000 bundled training reviews ({@code data/fine_foods}), end to end
 * from the file: parse the CSV, build the vocabulary, then either fastText-style id bags (words +
 * hashed bigrams) or TF-IDF vectors. {@code readOnly} and {@code featurizeOnly} split the cost.
 *
 * <p>Run from the repository root (the data file is found by walking up from the working
 * directory): {@code java -jar bench/target/benchmarks.jar FeaturizeBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MILLISECONDS)
public class FeaturizeBench {

    private static final LabeledTextReader READER =
            LabeledTextReader.csv(RepositoryFiles.FINE_FOODS_TEXT, RepositoryFiles.FINE_FOODS_LABEL);

    private Path trainingFile;
    private List<String> texts;
    private Tokenizer tokenizer;
    private Vocabulary vocabulary;

    @Setup
    public void setup() throws IOException {
        trainingFile = RepositoryFiles.findUp(RepositoryFiles.FINE_FOODS_TRAIN).orElseThrow(() -> new IllegalStateException(
                RepositoryFiles.FINE_FOODS_TRAIN + " not found above " + System.getProperty("user.dir")
                        + ": run the benchmark from the repository"));
        tokenizer = Tokenizer.standard();
        texts = READER.read(trainingFile).texts();
        vocabulary = Vocabulary.fromTexts(texts, tokenizer, 1, Integer.MAX_VALUE);
    }

    /** Read the CSV, build the vocabulary, make the id bags of every review. */
    @Benchmark
    public IdBags readAndFeaturizeBags() throws IOException {
        LabeledDataset train = READER.read(trainingFile);
        Vocabulary v = Vocabulary.fromTexts(train.texts(), tokenizer, 1, Integer.MAX_VALUE);
        return new TokenIdFeaturizer(tokenizer, v, TokenIdFeaturizer.Options.defaults()).bags(train.texts());
    }

    /** Read the CSV, fit TF-IDF (words and bigrams), transform every review. */
    @Benchmark
    public List<SparseVector> readAndTfIdf() throws IOException {
        LabeledDataset train = READER.read(trainingFile);
        BagOfWordsVectorizer tfidf = BagOfWordsVectorizer.fit(train.texts(), tokenizer,
                BagOfWordsVectorizer.Options.tfIdf().withMaxNgram(2));
        return tfidf.transformAll(train.texts());
    }

    /** Only read and parse the CSV. */
    @Benchmark
    public LabeledDataset readOnly() throws IOException {
        return READER.read(trainingFile);
    }

    /** Only the id bags, with a vocabulary built beforehand. */
    @Benchmark
    public IdBags featurizeOnly() {
        return new TokenIdFeaturizer(tokenizer, vocabulary, TokenIdFeaturizer.Options.defaults()).bags(texts);
    }
}
