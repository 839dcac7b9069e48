package dev.keel.nn;

import dev.keel.core.IdBags;
import dev.keel.core.KeelRandom;
import dev.keel.core.Tensor;
import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.autograd.BagMode;
import dev.keel.nn.autograd.Parameter;
import dev.keel.nn.loss.Loss;
import dev.keel.nn.ops.BagOps;
import dev.keel.nn.ops.DenseOps;
import dev.keel.nn.ops.ElementOps;
import dev.keel.nn.optim.Optimizer;
import dev.keel.nn.optim.RowUpdates;

import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The hand-written training step of {@link BagOfEmbeddingsClassifier}, with its reused buffers.
 *
 * <p>Phases of a step, and who computes what (so that the bits never depend on the threads):
 * <ol>
 *   <li><b>Bags</b> (parallel over chunks of texts): each text's mean embedding, by one thread, in
 *       the text's id order. Meanwhile worker 0 indexes the batch's distinct rows
 *       ({@link BatchRows}).</li>
 *   <li><b>Dense part</b> (the calling thread): dropout, hidden and output layers, the loss kernel
 *       over the whole batch, their backward pass down to {@code gradBag}; the dense parameters'
 *       gradients go to their {@link Parameter#gradBuffer()}s as usual.</li>
 *   <li><b>Table rows</b> (parallel over chunks of distinct rows): each row's gradient is summed
 *       from its uses in batch order into a per-worker scratch row, then handed to the optimizer
 *       for a chunk of rows ({@link RowUpdates#updateRows}); worker 0 first updates the dense
 *       parameters. The table's gradient is never stored, so nothing table-sized is written or
 *       cleared.</li>
 * </ol>
 * The result is bit-identical to {@code accumulateGradients} followed by {@code optimizer.step()}
 * (which this class also implements, by handing the same row sums to the parameter's gradient).
 */
final class BagTrainingStep {

    /**
     * Texts per claimed chunk of the bag phase; table rows per claimed chunk of the row phase
     * (also the rows whose memory {@link RowUpdates#updateRows} fetches together).
     */
    private static final int TEXT_CHUNK = 8, ROW_CHUNK = 16;

    private final BagOfEmbeddingsClassifier model;
    private final KeelRandom dropoutRandom;
    private final int dim, hiddenWidth, classes;
    private final BatchRows rows;

    // Buffers, reused across steps; grown when a batch is larger than any before.
    private int capacity;
    private float[] bag;        // [B x dim]: bag vectors (after dropout)
    private float[] mask;       // [B x dim]: dropout mask
    private float[] activation; // [B x hidden]: ReLU output
    private float[] gradHidden; // [B x hidden]
    private float[] gradBag;    // [B x dim]
    private float[] bagScale;   // [B]: 1 / length of each text (an empty text has no ids to scale)
    private float[] logits;     // exactly [B x classes]: loss kernels take whole arrays
    private float[] logitsGrad; // exactly [B x classes]
    private int[] exactTargets; // exactly [B], for callers whose targets array is longer
    private float[][] rowGrad = new float[0][]; // [worker][ROW_CHUNK x dim]: gradients of a chunk of table rows
    private int lastRows;
    private double lastLoss = Double.NaN;

    // The step in progress, read by the parallel phases (published by WorkerPool.run).
    private int[] ids;
    private int[] offsets;
    private float[] weights; // per-id weights of a weighted batch, else null
    private int bagCount;
    private RowUpdates updates;
    private int tableIndex;
    private final AtomicInteger nextChunk = new AtomicInteger();
    private final WorkerPool.Task bagPhase = this::bagPhase;
    private final WorkerPool.Task rowPhase = this::rowPhase;

    BagTrainingStep(BagOfEmbeddingsClassifier model, KeelRandom dropoutRandom) {
        this.model = model;
        this.dropoutRandom = dropoutRandom;
        BagOfEmbeddingsClassifier.Config c = model.config();
        this.dim = c.dim();
        this.hiddenWidth = c.hidden();
        this.classes = c.classes();
        this.rows = new BatchRows(c.buckets());
    }

    /**
     * Forward, loss, backward and (with an optimizer) the update, as described above; without an
     * optimizer the gradients are added to the parameters' gradients instead. Arguments checked.
     */
    double run(IdBags bags, int[] targets, Loss loss, Optimizer optimizer, WorkerPool pool) {
        ensureBuffers(bags.size(), pool.threads());
        this.ids = bags.ids();
        this.offsets = bags.offsets();
        this.weights = bags.weights();
        this.bagCount = bags.size();
        try {
            nextChunk.set(0);
            pool.run(bagPhase);
            double value = denseForwardAndBackward(targets, loss);
            Parameter table = model.embedding().weight();
            if (optimizer == null) {
                addTableGradient(table);
            } else {
                updates = optimizer.rowUpdates();
                tableIndex = updates.indexOf(table);
                updates.beginStep();
                if (tableIndex >= 0) {
                    updates.beginRowUpdates(tableIndex);
                }
                nextChunk.set(0);
                pool.run(rowPhase);
                updates.endStep();
            }
            lastRows = bagCount;
            lastLoss = value;
            return value;
        } finally {
            this.ids = null;
            this.offsets = null;
            this.weights = null;
            this.updates = null;
        }
    }

    private void bagPhase(int worker) {
        if (worker == 0) {
            rows.index(ids, offsets, bagCount);
        }
        Tensor table = model.embedding().weight().data();
        for (int from; (from = nextChunk.getAndAdd(TEXT_CHUNK)) < bagCount; ) {
            int to = Math.min(from + TEXT_CHUNK, bagCount);
            for (int b = from; b < to; b++) {
                BagOps.reduce(table.data(), table.offset(), dim, ids, weights, offsets[b], offsets[b + 1],
                        BagMode.MEAN, bag, b * dim);
            }
        }
    }

    private double denseForwardAndBackward(int[] targets, Loss loss) {
        int n = bagCount;
        FloatKernels k = Kernels.active();
        Linear hidden = model.hidden(), output = model.output();
        boolean dropout = model.config().dropout() > 0f && model.isTraining();
        if (dropout) {
            ElementOps.dropoutMask(dropoutRandom, model.config().dropout(), mask, 0, n * dim);
            k.mul(bag, 0, mask, 0, bag, 0, n * dim);
        }
        model.denseForward(bag, 0, n, activation, 0, logits, 0);
        double value = loss.compute(logits, n, classes, exactTargets(targets, n), logitsGrad);

        Arrays.fill(gradBag, 0, n * dim, 0f);
        if (hidden != null) {
            Arrays.fill(gradHidden, 0, n * hiddenWidth, 0f);
            backward(output, activation, hiddenWidth, n, logitsGrad, gradHidden);
            ElementOps.reluBackward(activation, 0, gradHidden, 0, n * hiddenWidth); // no gradient where a unit was off
            backward(hidden, bag, dim, n, gradHidden, gradBag);
        } else {
            backward(output, bag, dim, n, logitsGrad, gradBag);
        }
        if (dropout) {
            k.mul(gradBag, 0, mask, 0, gradBag, 0, n * dim);
        }
        for (int b = 0; b < n; b++) {
            bagScale[b] = BagOps.scale(BagMode.MEAN, offsets[b + 1] - offsets[b]);
        }
        return value;
    }

    /** A dense layer's backward pass: its parameters' gradients (added to their buffers) and {@code dx} (added to). */
    private static void backward(Linear layer, float[] x, int in, int rows, float[] g, float[] dx) {
        Tensor w = layer.weight().data();
        Tensor gw = layer.weight().gradBuffer();
        Tensor gb = layer.bias().gradBuffer();
        DenseOps.backward(w.data(), w.offset(), in, w.dim(0), x, 0, rows, g, 0, gw.data(), gw.offset(), gb.data(),
                gb.offset(), dx, 0);
    }

    private void rowPhase(int worker) {
        RowUpdates opt = updates;
        if (worker == 0) { // the dense parameters (and any others the optimizer holds) from their gradients
            for (int i = 0; i < opt.parameterCount(); i++) {
                if (i != tableIndex) {
                    opt.updateFromGradient(i);
                }
            }
        }
        if (tableIndex < 0) {
            return; // the table is not trained by this optimizer
        }
        float[] g = rowGrad[worker];
        int count = rows.count();
        for (int from; (from = nextChunk.getAndAdd(ROW_CHUNK)) < count; ) {
            int to = Math.min(from + ROW_CHUNK, count);
            for (int s = from; s < to; s++) {
                sumRowGradient(s, g, (s - from) * dim);
            }
            opt.updateRows(tableIndex, rows.rows(), from, to, g, 0);
        }
    }

    /** Without an optimizer: each row's summed gradient is added to the table's gradient. */
    private void addTableGradient(Parameter table) {
        float[] g = rowGrad[0];
        for (int s = 0; s < rows.count(); s++) {
            sumRowGradient(s, g, 0);
            table.accumulateGradRow(rows.row(s), 1f, g, 0);
        }
    }

    /**
     * {@code g[go ..] = sum over the uses of slot s, in batch order, of gradBag[text]} times the use's
     * weight, or {@code 1 / length(text)} for an unweighted batch.
     */
    private void sumRowGradient(int s, float[] g, int go) {
        BagOps.rowGradient(rows.uses(), rows.positions(), rows.usesFrom(s), rows.usesTo(s), weights, bagScale, gradBag,
                dim, g, go);
    }

    private void ensureBuffers(int n, int workers) {
        if (n > capacity) {
            capacity = n;
            bag = new float[n * dim];
            mask = model.config().dropout() > 0f ? new float[n * dim] : null;
            activation = new float[n * hiddenWidth];
            gradHidden = new float[n * hiddenWidth];
            gradBag = new float[n * dim];
            bagScale = new float[n];
        }
        if (logits == null || logits.length != n * classes) {
            logits = new float[n * classes];
            logitsGrad = new float[n * classes];
            exactTargets = new int[n];
        }
        if (rowGrad.length < workers) {
            rowGrad = new float[workers][ROW_CHUNK * dim];
        }
    }

    /** The loss kernels take arrays of exactly {@code rows} targets; callers may pass a longer, reused one. */
    private int[] exactTargets(int[] targets, int n) {
        if (targets.length == n) {
            return targets;
        }
        System.arraycopy(targets, 0, exactTargets, 0, n);
        return exactTargets;
    }

    double lastLoss() {
        return lastLoss;
    }

    Tensor lastLogits() {
        requireStep();
        return Tensor.wrap(logits, 0, lastRows, classes);
    }

    Tensor lastLogitsGrad() {
        requireStep();
        return Tensor.wrap(logitsGrad, 0, lastRows, classes);
    }

    private void requireStep() {
        if (lastRows == 0) {
            throw new IllegalStateException("no training step has run yet");
        }
    }
}
