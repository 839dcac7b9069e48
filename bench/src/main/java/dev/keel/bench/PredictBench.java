package dev.keel.bench;

import dev.keel.classifier.Data;
import dev.keel.classifier.TextClassifier;
import dev.keel.core.IdBags;
import dev.keel.examples.RepositoryFiles;
import dev.keel.nn.BagOfEmbeddingsClassifier;
import dev.keel.text.data.LabeledDataset;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Warmup;

import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Prediction on the bundled fine-food test reviews (1,000 texts) with a model trained in the setup
 * (keel train's defaults, 2 epochs, seed 1): {@code predictTexts} is {@code TextClassifier.predict}
 * on the strings (tokenizing, featurizing, the forward pass, argmax), {@code logits} the classifier's
 * forward pass alone on the texts' id bags. Run from the repository root:
 * {@code java -jar bench/target/benchmarks.jar PredictBench}.
 */
@State(Scope.Benchmark)
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.MICROSECONDS)
@Fork(value = 2, jvmArgsAppend = {"--add-modules=jdk.incubator.vector", "-Xmx2g"})
@Warmup(iterations = 5, time = 1)
@Measurement(iterations = 5, time = 1)
public class PredictBench {

    private TextClassifier model;
    private List<String> texts;
    private BagOfEmbeddingsClassifier classifier;
    private IdBags bags;
    private float[] out;

    @Setup
    public void setup() {
        Path train = find(RepositoryFiles.FINE_FOODS_TRAIN);
        Path test = find(RepositoryFiles.FINE_FOODS_TEST);
        LabeledDataset rows = Data.readTraining(train, RepositoryFiles.FINE_FOODS_TEXT, RepositoryFiles.FINE_FOODS_LABEL,
                false);
        model = TextClassifier.builder().epochs(2).seed(1).train(rows);
        texts = Data.readTexts(test, RepositoryFiles.FINE_FOODS_TEXT, false).texts();
        classifier = model.model().classifier();
        bags = model.model().featurizer().bags(texts);
        out = new float[texts.size() * classifier.config().classes()];
    }

    private static Path find(String relative) {
        return RepositoryFiles.findUp(relative).orElseThrow(() -> new IllegalStateException(
                relative + " not found above " + System.getProperty("user.dir") + ": run the benchmark from the repository"));
    }

    /** The strings to labels: tokenizing, featurizing, the forward pass and argmax of 1,000 reviews. */
    @Benchmark
    public List<String> predictTexts() {
        return model.predict(texts);
    }

    /** The forward pass alone, on the 1,000 reviews' id bags. */
    @Benchmark
    public float[] logits() {
        classifier.logits(bags, out);
        return out;
    }
}
