package dev.keel.nn.loss;

import dev.keel.core.KeelRandom;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/** Shared pieces of the loss tests: the kernel paths, the golden file, tolerances, random batches. */
final class LossTestSupport {

    private LossTestSupport() {
    }

    /** Both kernel paths where this JVM has the vector one (the scalar surefire pass has only scalar). */
    static List<LossKernels> paths() {
        List<LossKernels> paths = new ArrayList<>();
        paths.add(LossKernels.scalar());
        LossKernels.vector().ifPresent(paths::add);
        return paths;
    }

    /** The golden tolerance: 1e-5 relative or 1e-6 absolute, whichever is larger. */
    static boolean withinGolden(double expected, double actual) {
        return Math.abs(actual - expected) <= Math.max(1e-5 * Math.abs(expected), 1e-6);
    }

    /** One line of {@code golden/losses.tsv}. */
    static final class GoldenCase {
        final String id;
        final String kind;
        final Map<String, String> params;
        final int rows;
        final int classes;
        final int[] targets;
        final float[] logits;
        final double loss;
        final double[] grad;

        GoldenCase(String[] f) {
            id = f[0];
            kind = f[1];
            params = new HashMap<>();
            if (!f[2].equals("-")) {
                for (String kv : f[2].split(";")) {
                    int eq = kv.indexOf('=');
                    params.put(kv.substring(0, eq), kv.substring(eq + 1));
                }
            }
            rows = Integer.parseInt(f[3]);
            classes = Integer.parseInt(f[4]);
            String[] t = f[5].split(",");
            targets = new int[t.length];
            for (int i = 0; i < t.length; i++) {
                targets[i] = Integer.parseInt(t[i]);
            }
            String[] z = f[6].split(",");
            logits = new float[z.length];
            for (int i = 0; i < z.length; i++) {
                logits[i] = Float.parseFloat(z[i]);
            }
            loss = Double.parseDouble(f[7]);
            String[] g = f[8].split(",");
            grad = new double[g.length];
            for (int i = 0; i < g.length; i++) {
                grad[i] = Double.parseDouble(g[i]);
            }
        }

        float param(String name) {
            return Float.parseFloat(params.get(name));
        }

        float[] listParam(String name) {
            String[] parts = params.get(name).split(",");
            float[] values = new float[parts.length];
            for (int i = 0; i < parts.length; i++) {
                values[i] = Float.parseFloat(parts[i]);
            }
            return values;
        }

        /** The loss the case describes, through the public factories. */
        FusedLoss loss() {
            switch (kind) {
                case "ce":
                    return FusedLoss.of(new CrossEntropy());
                case "weighted_ce":
                    return FusedLoss.of(new WeightedCrossEntropy(listParam("weight")));
                case "gated":
                    return FusedLoss.of(new GatedCrossEntropy(param("margin")));
                case "soft_gated":
                    return FusedLoss.of(new SoftGatedCrossEntropy(param("margin"), param("k")));
                case "focal":
                    return params.containsKey("alpha") ? FusedLoss.of(new FocalLoss(param("gamma"), listParam("alpha")))
                            : FusedLoss.of(new FocalLoss(param("gamma")));
                case "bce":
                    return FusedLoss.of(new BinaryCrossEntropy());
                case "sigmoid_focal":
                    return FusedLoss.of(new SigmoidFocalLoss(param("gamma"), params.containsKey("alpha") ? param("alpha") : -1f));
                case "gated_bce":
                    return FusedLoss.of(new GatedBinaryCrossEntropy(param("margin")));
                default:
                    throw new IllegalArgumentException("unknown kind " + kind + " in case " + id);
            }
        }

        @Override
        public String toString() {
            return "case " + id + " " + kind + " " + params + " " + rows + "x" + classes;
        }
    }

    static List<GoldenCase> goldenCases() {
        InputStream in = LossTestSupport.class.getResourceAsStream("/golden/losses.tsv");
        if (in == null) {
            throw new IllegalStateException("golden/losses.tsv is missing from the test resources");
        }
        List<GoldenCase> cases = new ArrayList<>();
        try (BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8))) {
            String line;
            while ((line = reader.readLine()) != null) {
                if (!line.isEmpty() && !line.startsWith("#")) {
                    cases.add(new GoldenCase(line.split("\t")));
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        return cases;
    }

    /** Gaussian logits of standard deviation {@code scale}. */
    static float[] randomLogits(KeelRandom random, int n, double scale) {
        float[] z = new float[n];
        for (int i = 0; i < n; i++) {
            z[i] = (float) (scale * random.nextGaussian());
        }
        return z;
    }

    static int[] randomTargets(KeelRandom random, int rows, int classes) {
        int[] t = new int[rows];
        for (int i = 0; i < rows; i++) {
            t[i] = random.nextInt(classes);
        }
        return t;
    }

    /** One loss of every kind, with parameters valid for {@code classes} (2 for the binary kinds). */
    static List<FusedLoss> everyKind(KeelRandom random, int classes) {
        float[] weights = new float[classes];
        float[] alpha = new float[classes];
        for (int c = 0; c < classes; c++) {
            weights[c] = 0.2f + 2 * random.nextFloat();
            alpha[c] = random.nextFloat();
        }
        float margin = (1f + 1f / classes) / 2;
        return List.of(FusedLoss.of(new CrossEntropy()), FusedLoss.of(new WeightedCrossEntropy(weights)), FusedLoss.of(new GatedCrossEntropy(margin)),
                FusedLoss.of(new SoftGatedCrossEntropy(margin, 10f)), FusedLoss.of(new FocalLoss(2f)), FusedLoss.of(new FocalLoss(0.5f, alpha)));
    }

    static List<FusedLoss> everyBinaryKind() {
        return List.of(FusedLoss.of(new BinaryCrossEntropy()), FusedLoss.of(new SigmoidFocalLoss(2f, 0.25f)), FusedLoss.of(new SigmoidFocalLoss(0.5f, -1f)),
                FusedLoss.of(new GatedBinaryCrossEntropy(0.7f)));
    }
}
