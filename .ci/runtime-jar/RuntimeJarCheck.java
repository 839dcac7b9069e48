import dev.keel.classifier.Data;
import dev.keel.classifier.TextClassifier;
import dev.keel.core.kernel.Kernels;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

/**
 * A program that knows nothing but keel-runtime.jar: trains on the bundled fine-food reviews,
 * saves, loads its own folder and one that `keel train` wrote, and prints the predictions of the
 * latter for the texts of a file, one label per line (as `keel predict` prints them, before the tab).
 *
 *   java -cp keel-runtime.jar RuntimeJarCheck TRAIN.csv CLI_MODEL TEXTS.csv OUT_DIR
 */
public final class RuntimeJarCheck {

    public static void main(String[] args) throws Exception {
        Path train = Path.of(args[0]);
        Path cliModel = Path.of(args[1]);
        Path testFile = Path.of(args[2]);
        Path out = Path.of(args[3]);
        System.err.println(Kernels.describe());
        System.err.println("modules: " + ModuleLayer.boot().modules().stream().map(Module::getName).sorted().toList());

        // The five lines of the README, on real data (two epochs to keep CI short).
        var rows = Data.readTraining(train, "review", "score", false);
        List<String> texts = rows.texts();
        List<String> labels = java.util.stream.IntStream.range(0, rows.size()).mapToObj(rows::label).toList();
        TextClassifier model = TextClassifier.builder().epochs(2).train(texts, labels);
        model.save(out.resolve("my-model"));
        TextClassifier m = TextClassifier.load(out.resolve("my-model"));
        String label = m.predict("tastes stale, would not buy again");
        double[] p = m.probabilities("tastes stale, would not buy again");
        if (!m.labels().equals(List.of("great", "other")) || p.length != 2 || Math.abs(p[0] + p[1] - 1) > 1e-9
                || !label.equals(m.labels().get(p[1] > p[0] ? 1 : 0))) {
            throw new AssertionError("unexpected: " + m.labels() + " " + label + " " + java.util.Arrays.toString(p));
        }
        System.err.println("trained, saved, loaded: '" + label + "' " + java.util.Arrays.toString(p)
                + ", test macro-F1 " + m.evaluate(Data.readLabeled(testFile, "review", "score", m.labels(), false)).macroF1());

        TextClassifier cli = TextClassifier.load(cliModel);
        List<String> predicted = cli.predict(Data.readTexts(testFile, "review", false).texts());
        Files.write(out.resolve("predictions.txt"), predicted);
    }
}
