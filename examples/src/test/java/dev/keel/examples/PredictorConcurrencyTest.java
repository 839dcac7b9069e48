package dev.keel.examples;

import dev.keel.classifier.ModelFolder;
import dev.keel.classifier.TextClassifier;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;

/**
 * One model loaded from its folder serves predictions from 8 threads at once, and every request
 * gets exactly (bit for bit) the logits the same request gets when served alone.
 */
class PredictorConcurrencyTest {

    static final int THREADS = 8;
    static final int REQUESTS_PER_THREAD = 250;

    @TempDir
    Path dir;

    @Test
    void eightThreadsGetExactlyTheSerialResults() throws Exception {
        TextClassifier predictor = TextClassifier.load(CliTest.trainTinyModel(dir, 150));

        // Requests of 1 to 12 texts of different lengths and scripts, so that concurrent calls
        // featurize texts of different sizes and a shared buffer would show.
        SplittableRandom random = new SplittableRandom(42);
        String[] words = {"great", "awful", "coffee", "stale", "refund", "love", "好吃", "不", "😊", "café", "<br />",
            "don't", "ＡＢＣ", "the", "box", "\u0301", "\ud800", "x".repeat(300)};
        List<List<String>> requests = new ArrayList<>();
        for (int r = 0; r < THREADS * REQUESTS_PER_THREAD; r++) {
            List<String> texts = new ArrayList<>();
            for (int t = 1 + random.nextInt(12); t > 0; t--) {
                StringBuilder text = new StringBuilder();
                for (int w = random.nextInt(40); w > 0; w--) {
                    text.append(words[random.nextInt(words.length)]).append(' ');
                }
                texts.add(text.toString());
            }
            requests.add(texts);
        }
        List<float[]> serial = new ArrayList<>();
        for (List<String> request : requests) {
            serial.add(predictor.logits(request));
        }

        ExecutorService pool = Executors.newFixedThreadPool(THREADS);
        try {
            CountDownLatch start = new CountDownLatch(1);
            List<Future<Integer>> done = new ArrayList<>();
            for (int t = 0; t < THREADS; t++) {
                int thread = t;
                done.add(pool.submit(() -> {
                    start.await();
                    int checked = 0;
                    for (int k = 0; k < REQUESTS_PER_THREAD; k++) { // thread t serves requests t, t + 8, t + 16, ...
                        int r = k * THREADS + thread;
                        assertArrayEquals(serial.get(r), predictor.logits(requests.get(r)),
                                "thread " + thread + ", request " + r);
                        checked++;
                    }
                    return checked;
                }));
            }
            start.countDown();
            int total = 0;
            for (Future<Integer> f : done) {
                total += f.get();
            }
            assertEquals(THREADS * REQUESTS_PER_THREAD, total);
        } finally {
            pool.shutdownNow();
        }
    }
}
