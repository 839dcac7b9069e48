package dev.keel.examples.engine;

import dev.keel.core.KeelRandom;
import dev.keel.nn.loss.Loss;

/**
 * Interim bag-of-embeddings classifier (replaced by {@code nn}'s {@code BagOfEmbeddingsClassifier}):
 * mean of embedding rows -> optional ReLU hidden layer -> linear -> logits, trained with Adam (lazy
 * sparse updates on the embedding rows a batch touches, like PyTorch's SparseAdam).
 */
public final class InterimBagClassifier {

    private final int buckets;
    private final int dim;
    private final int hidden;
    private final int classes;
    private float lr;
    private final float weightDecay;
    private final int maxBatch;

    private final float[] emb;
    private final float[] embM;
    private final float[] embV;
    private final float[] embGrad;
    private final int[] touchedStamp;
    private int[] touched;
    private int stamp;

    private final Dense hiddenLayer; // null without a hidden layer
    private final Dense output;

    // Per-batch buffers.
    private final float[] pooled;
    private final float[] hiddenOut;
    private final float[] logits;
    private final float[] logitGrad;
    private final float[] hiddenGrad;
    private final float[] pooledGrad;
    private long step;

    public InterimBagClassifier(int buckets, int dim, int hidden, int classes, float lr, float weightDecay,
                                int maxBatch, KeelRandom random) {
        this.buckets = buckets;
        this.dim = dim;
        this.hidden = hidden;
        this.classes = classes;
        this.lr = lr;
        this.weightDecay = weightDecay;
        this.maxBatch = maxBatch;
        emb = new float[buckets * dim];
        float bound = 1f / dim;
        for (int i = 0; i < emb.length; i++) {
            emb[i] = (2 * random.nextFloat() - 1) * bound;
        }
        embM = new float[emb.length];
        embV = new float[emb.length];
        embGrad = new float[emb.length];
        touchedStamp = new int[buckets];
        touched = new int[1024];
        int top = hidden > 0 ? hidden : dim;
        hiddenLayer = hidden > 0 ? new Dense(dim, hidden, random) : null;
        output = new Dense(top, classes, random);
        pooled = new float[maxBatch * dim];
        hiddenOut = new float[maxBatch * Math.max(hidden, 1)];
        logits = new float[maxBatch * classes];
        logitGrad = new float[maxBatch * classes];
        hiddenGrad = new float[maxBatch * Math.max(hidden, 1)];
        pooledGrad = new float[maxBatch * dim];
    }

    /** Writes the parameters (not the optimizer state). */
    public void writeTo(java.io.DataOutputStream out) throws java.io.IOException {
        out.writeInt(buckets);
        out.writeInt(dim);
        out.writeInt(hidden);
        out.writeInt(classes);
        writeFloats(out, emb);
        if (hiddenLayer != null) {
            writeFloats(out, hiddenLayer.w);
            writeFloats(out, hiddenLayer.b);
        }
        writeFloats(out, output.w);
        writeFloats(out, output.b);
    }

    /** Reads what {@link #writeTo} wrote. */
    public static InterimBagClassifier readFrom(java.io.DataInputStream in) throws java.io.IOException {
        int buckets = in.readInt();
        int dim = in.readInt();
        int hidden = in.readInt();
        int classes = in.readInt();
        if (buckets < 1 || dim < 1 || hidden < 0 || classes < 2 || (long) buckets * dim > Integer.MAX_VALUE) {
            throw new java.io.IOException("bad model header " + buckets + " x " + dim + ", hidden " + hidden
                    + ", classes " + classes);
        }
        InterimBagClassifier m = new InterimBagClassifier(buckets, dim, hidden, classes, 0, 0, 64, new KeelRandom(0));
        readFloats(in, m.emb);
        if (m.hiddenLayer != null) {
            readFloats(in, m.hiddenLayer.w);
            readFloats(in, m.hiddenLayer.b);
        }
        readFloats(in, m.output.w);
        readFloats(in, m.output.b);
        return m;
    }

    private static void writeFloats(java.io.DataOutputStream out, float[] a) throws java.io.IOException {
        java.nio.ByteBuffer buf = java.nio.ByteBuffer.allocate(a.length * 4);
        buf.asFloatBuffer().put(a);
        out.writeInt(a.length);
        out.write(buf.array());
    }

    private static void readFloats(java.io.DataInputStream in, float[] a) throws java.io.IOException {
        int n = in.readInt();
        if (n != a.length) {
            throw new java.io.IOException("expected " + a.length + " floats, the file has " + n);
        }
        byte[] bytes = new byte[n * 4];
        in.readFully(bytes);
        java.nio.ByteBuffer.wrap(bytes).asFloatBuffer().get(a);
    }

    public void learningRate(float newLr) {
        lr = newLr;
    }

    public int classes() {
        return classes;
    }

    /** The logits of the last {@link #trainStep} batch, row-major. */
    public float[] lastLogits() {
        return logits;
    }

    /** The loss gradient at the logits of the last {@link #trainStep} batch. */
    public float[] lastLogitGrad() {
        return logitGrad;
    }

    /** One optimizer step on a batch; returns the batch loss. */
    public double trainStep(int[] ids, int[] offsets, int rows, int[] targets, Loss loss) {
        forward(ids, offsets, rows, logits);
        double value = loss.compute(logits, rows, classes, targets, logitGrad);
        step++;
        float[] top = hiddenLayer != null ? hiddenOut : pooled;
        float[] topGrad = hiddenLayer != null ? hiddenGrad : pooledGrad;
        output.backward(top, logitGrad, topGrad, rows);
        if (hiddenLayer != null) {
            for (int i = 0; i < rows * hidden; i++) {
                if (hiddenOut[i] <= 0) {
                    hiddenGrad[i] = 0;
                }
            }
            hiddenLayer.backward(pooled, hiddenGrad, pooledGrad, rows);
            hiddenLayer.adam(step);
        }
        output.adam(step);
        // Scatter the pooled gradient into the embedding rows the batch touched.
        stamp++;
        int touchedCount = 0;
        for (int r = 0; r < rows; r++) {
            int len = offsets[r + 1] - offsets[r];
            if (len == 0) {
                continue;
            }
            float inv = 1f / len;
            for (int k = offsets[r]; k < offsets[r + 1]; k++) {
                int id = ids[k];
                if (touchedStamp[id] != stamp) {
                    touchedStamp[id] = stamp;
                    if (touchedCount == touched.length) {
                        touched = java.util.Arrays.copyOf(touched, touched.length * 2);
                    }
                    touched[touchedCount++] = id;
                }
                int e = id * dim;
                int g = r * dim;
                for (int d = 0; d < dim; d++) {
                    embGrad[e + d] += inv * pooledGrad[g + d];
                }
            }
        }
        double c1 = 1 - Math.pow(0.9, step);
        double c2 = 1 - Math.pow(0.999, step);
        float stepSize = (float) (lr * Math.sqrt(c2) / c1);
        for (int t = 0; t < touchedCount; t++) {
            int e = touched[t] * dim;
            for (int d = e; d < e + dim; d++) {
                float g = embGrad[d];
                embGrad[d] = 0;
                embM[d] = 0.9f * embM[d] + 0.1f * g;
                embV[d] = 0.999f * embV[d] + 0.001f * g * g;
                emb[d] -= stepSize * embM[d] / ((float) Math.sqrt(embV[d]) + 1e-8f) + lr * weightDecay * emb[d];
            }
        }
        return value;
    }

    /** Logits for every row of {@code bags}, into {@code out} ({@code rows x classes}). */
    public void logits(FeatureBags bags, float[] out) {
        int[] batchIds = new int[bags.maxBatchIds(maxBatch)];
        int[] batchOffsets = new int[maxBatch + 1];
        int[] order = new int[bags.rows()];
        for (int i = 0; i < order.length; i++) {
            order[i] = i;
        }
        float[] batchLogits = new float[maxBatch * classes];
        for (int from = 0; from < order.length; from += maxBatch) {
            int n = Math.min(maxBatch, order.length - from);
            bags.gather(order, from, n, batchIds, batchOffsets);
            forward(batchIds, batchOffsets, n, batchLogits);
            System.arraycopy(batchLogits, 0, out, from * classes, n * classes);
        }
    }

    private void forward(int[] ids, int[] offsets, int rows, float[] out) {
        java.util.Arrays.fill(pooled, 0, rows * dim, 0f);
        for (int r = 0; r < rows; r++) {
            int len = offsets[r + 1] - offsets[r];
            if (len == 0) {
                continue;
            }
            float inv = 1f / len;
            int p = r * dim;
            for (int k = offsets[r]; k < offsets[r + 1]; k++) {
                int e = ids[k] * dim;
                for (int d = 0; d < dim; d++) {
                    pooled[p + d] += inv * emb[e + d];
                }
            }
        }
        if (hiddenLayer != null) {
            hiddenLayer.forward(pooled, hiddenOut, rows);
            for (int i = 0; i < rows * hidden; i++) {
                hiddenOut[i] = Math.max(0, hiddenOut[i]);
            }
            output.forward(hiddenOut, out, rows);
        } else {
            output.forward(pooled, out, rows);
        }
    }

    /** A dense layer {@code y = x W^T + b} with its own Adam state. */
    private final class Dense {
        final int in;
        final int outDim;
        final float[] w;
        final float[] b;
        final float[] gw;
        final float[] gb;
        final float[] mw;
        final float[] vw;
        final float[] mb;
        final float[] vb;

        Dense(int in, int outDim, KeelRandom random) {
            this.in = in;
            this.outDim = outDim;
            w = new float[in * outDim];
            float bound = (float) Math.sqrt(6.0 / (in + outDim));
            for (int i = 0; i < w.length; i++) {
                w[i] = (2 * random.nextFloat() - 1) * bound;
            }
            b = new float[outDim];
            gw = new float[w.length];
            gb = new float[outDim];
            mw = new float[w.length];
            vw = new float[w.length];
            mb = new float[outDim];
            vb = new float[outDim];
        }

        void forward(float[] x, float[] y, int rows) {
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outDim; o++) {
                    float s = b[o];
                    int wo = o * in;
                    int xo = r * in;
                    for (int i = 0; i < in; i++) {
                        s += w[wo + i] * x[xo + i];
                    }
                    y[r * outDim + o] = s;
                }
            }
        }

        void backward(float[] x, float[] gy, float[] gx, int rows) {
            java.util.Arrays.fill(gx, 0, rows * in, 0f);
            for (int r = 0; r < rows; r++) {
                for (int o = 0; o < outDim; o++) {
                    float g = gy[r * outDim + o];
                    if (g == 0) {
                        continue;
                    }
                    gb[o] += g;
                    int wo = o * in;
                    int xo = r * in;
                    for (int i = 0; i < in; i++) {
                        gw[wo + i] += g * x[xo + i];
                        gx[xo + i] += g * w[wo + i];
                    }
                }
            }
        }

        void adam(long t) {
            double c1 = 1 - Math.pow(0.9, t);
            double c2 = 1 - Math.pow(0.999, t);
            float stepSize = (float) (lr * Math.sqrt(c2) / c1);
            update(w, gw, mw, vw, stepSize, true);
            update(b, gb, mb, vb, stepSize, false);
        }

        private void update(float[] p, float[] g, float[] m, float[] v, float stepSize, boolean decay) {
            for (int i = 0; i < p.length; i++) {
                m[i] = 0.9f * m[i] + 0.1f * g[i];
                v[i] = 0.999f * v[i] + 0.001f * g[i] * g[i];
                p[i] -= stepSize * m[i] / ((float) Math.sqrt(v[i]) + 1e-8f) + (decay ? lr * weightDecay * p[i] : 0);
                g[i] = 0;
            }
        }
    }
}
