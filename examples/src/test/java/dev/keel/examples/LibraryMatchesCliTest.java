package dev.keel.examples;

import dev.keel.classifier.Data;
import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TextClassifier;
import dev.keel.text.data.LabeledDataset;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;

import static dev.keel.examples.CliTest.keel;
import static dev.keel.examples.CliTest.tiny;
import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * The command line is a thin caller of the library: {@code keel train} writes the folder that
 * {@link TextClassifier} writes with the same settings, byte for byte, and {@code keel predict}
 * prints the labels {@link TextClassifier#predict} gives.
 */
class LibraryMatchesCliTest {

    @TempDir
    Path dir;

    @Test
    void trainWritesWhatTheLibraryWritesAndPredictPrintsWhatItPredicts() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 150, 1);
        Path valid = Synthetic.csv(dir, "valid.csv", 45, 2);
        Path cli = dir.resolve("cli");
        CliTest.Run run = keel(tiny("train", "--train", train.toString(), "--valid", valid.toString(), "--loss", "gated",
                "--margin", "0.8", "--hidden", "4", "--model", cli.toString()));
        assertEquals(0, run.status(), run.err());

        LabeledDataset rows = Data.readTraining(train, "text", "label", false);
        Path library = dir.resolve("library");
        TextClassifier.builder().loss("gated:m=0.8").epochs(5).dim(8).buckets(4096).lr(0.05).batch(16).hidden(4)
                .source(train.toString(), "text", "label")
                .validation(Data.readLabeled(valid, "text", "label", rows.labelNames(), false))
                .train(rows).save(library);
        for (String file : List.of(ModelFolder.MANIFEST, ModelFolder.VOCABULARY, ModelFolder.PARAMETERS)) {
            assertArrayEquals(Files.readAllBytes(cli.resolve(file)), Files.readAllBytes(library.resolve(file)), file);
        }

        Path test = Synthetic.csv(dir, "test.csv", 60, 3);
        CliTest.Run predict = keel("predict", "--model", cli.toString(), "--data", test.toString());
        assertEquals(0, predict.status(), predict.err());
        List<String> texts = Data.readTexts(test, "text", false).texts();
        List<String> labels = TextClassifier.load(library).predict(texts);
        List<String> printed = predict.out().lines().map(line -> line.split("\t")[0]).toList();
        assertEquals(labels, printed);
    }

    @Test
    void theNewOptionsReachTheModelFolderAndPredictAppliesItsDecisionRule() throws IOException {
        Path train = Synthetic.csv(dir, "train.csv", 150, 4);
        Path cli = dir.resolve("cli");
        CliTest.Run run = keel(tiny("train", "--train", train.toString(), "--token-weights", "tfidf", "--bag-norm", "l2",
                "--selection", "cv:2", "--decision", "tuned", "--sampling", "sqrt", "--dropout", "0.1", "--logit-adjust",
                "0.5", "--reweight-from", "2", "--loss", "weighted_ce:b=0.99", "--model", cli.toString()));
        assertEquals(0, run.status(), run.err());
        LabeledDataset rows = Data.readTraining(train, "text", "label", false);
        Path library = dir.resolve("library");
        TextClassifier.builder().loss("weighted_ce:b=0.99").epochs(5).dim(8).buckets(4096).lr(0.05).batch(16)
                .tokenWeights("tfidf").bagNorm("l2").selection("cv:2").decision("tuned").sampling("sqrt").dropout(0.1)
                .logitAdjust(0.5).reweightFrom(2).source(train.toString(), "text", "label").train(rows).save(library);
        for (String file : List.of(ModelFolder.MANIFEST, ModelFolder.VOCABULARY, ModelFolder.PARAMETERS,
                ModelFolder.DOCUMENT_FREQUENCIES)) {
            assertArrayEquals(Files.readAllBytes(cli.resolve(file)), Files.readAllBytes(library.resolve(file)), file);
        }
        Path test = Synthetic.csv(dir, "test.csv", 60, 5);
        CliTest.Run predict = keel("predict", "--model", cli.toString(), "--data", test.toString());
        assertEquals(0, predict.status(), predict.err());
        TextClassifier model = TextClassifier.load(library);
        List<String> texts = Data.readTexts(test, "text", false).texts();
        assertEquals(model.predict(texts), predict.out().lines().map(line -> line.split("\t")[0]).toList());
        int[] decided = model.model().decision().decide(model.logits(texts), texts.size(), 2);
        for (int i = 0; i < texts.size(); i++) {
            assertEquals(model.labels().get(decided[i]), model.predict(texts.get(i)));
        }
    }
}
