package dev.keel.nn.autograd;

import dev.keel.core.Tensor;
import dev.keel.core.kernel.Kernels;
import dev.keel.nn.ops.ElementOps;

import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.IdentityHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Consumer;

/**
 * A tensor that remembers how it was computed, so that gradients can flow back to its inputs:
 * reverse-mode automatic differentiation, define-by-run, in the spirit of micrograd's
 * {@code engine.py} with PyTorch's names.
 *
 * <p>Every operation ({@link #add}, {@link #matmul}, {@link #relu}, ... and those in
 * {@link Functional}) computes its result at once and, if any input {@link #requiresGrad()},
 * returns a node that records its inputs and a {@link Backward} rule. {@link #backward()} on a
 * scalar then visits the graph in reverse topological order: each node, once all its consumers
 * have added their contributions to its {@link #grad()}, passes its gradient on to its inputs
 * through its rule. Gradients accumulate (+=) as in PyTorch; call {@link #zeroGrad()} (or an
 * optimizer's) between steps.
 *
 * <p>Leaves are the values you create ({@link #leaf}, {@link #constant}, {@link Parameter}s);
 * they keep their gradient after {@code backward()}. Intermediate nodes drop theirs at the end of
 * the pass unless asked to keep it with {@link #retainGrad()}; {@link #registerHook} sees an
 * intermediate gradient as it flows by. Inside a {@link NoGrad} scope no graph is recorded.
 *
 * <p>All math runs on core's {@link Tensor} and its active kernels (scalar or Vector API).
 */
public class Value {

    /**
     * The local backward rule of one operation: given d(output)/d(this node), add this node's
     * contribution to each input's gradient (with {@link #accumulateGrad} and friends).
     */
    @FunctionalInterface
    public interface Backward {
        void propagate(Tensor outputGrad);
    }

    private static final Value[] NO_INPUTS = new Value[0];

    private final Tensor data;
    private final boolean requiresGrad;
    private final String op;
    private final Value[] inputs;
    private final Backward backward;
    private Tensor grad;
    private boolean retainGrad;
    private List<Consumer<Tensor>> hooks;

    /** A leaf (no inputs): {@code requiresGrad} says whether gradients are collected for it. */
    protected Value(Tensor data, boolean requiresGrad) {
        this(data, requiresGrad, "leaf", NO_INPUTS, null);
    }

    private Value(Tensor data, boolean requiresGrad, String op, Value[] inputs, Backward backward) {
        if (data == null) {
            throw new IllegalArgumentException("a Value needs data, got null");
        }
        this.data = data;
        this.requiresGrad = requiresGrad;
        this.op = op;
        this.inputs = inputs;
        this.backward = backward;
    }

    // ---------------------------------------------------------------- creation

    /** A leaf whose gradient is collected: something to differentiate with respect to. */
    public static Value leaf(Tensor data) {
        return new Value(data, true);
    }

    /** A leaf without gradient: an input, a target, a fixed tensor. */
    public static Value constant(Tensor data) {
        return new Value(data, false);
    }

    /**
     * The result of an operation: records {@code inputs} and the rule, unless no input requires a
     * gradient or grad mode is off ({@link NoGrad}), in which case the result is a constant.
     * Custom operations are written with this, like the built-in ones below.
     */
    public static Value fromOp(String op, Tensor result, Backward rule, Value... inputs) {
        boolean track = false;
        if (NoGrad.isGradEnabled()) {
            for (Value input : inputs) {
                track |= input.requiresGrad;
            }
        }
        return track ? new Value(result, true, op, inputs.clone(), rule) : new Value(result, false, op, NO_INPUTS, null);
    }

    // ---------------------------------------------------------------- accessors

    /** The values computed by the forward pass (shared, not copied). */
    public Tensor data() {
        return data;
    }

    /** This node's gradient, or null if none has been computed (or it was freed, see class doc). */
    public Tensor grad() {
        return grad;
    }

    public boolean requiresGrad() {
        return requiresGrad;
    }

    /** True for values not computed by an operation (their gradient survives {@code backward()}). */
    public boolean isLeaf() {
        return backward == null;
    }

    /** The operation that produced this value ({@code "leaf"} for leaves). */
    public String op() {
        return op;
    }

    /** The recorded inputs (empty for leaves and for values computed without a graph). */
    public List<Value> inputs() {
        return Collections.unmodifiableList(Arrays.asList(inputs));
    }

    public int[] shape() {
        return data.shape();
    }

    /** The scalar value of a one-element value. */
    public float item() {
        return data.item();
    }

    /** The same data as a constant, cut off from the graph (PyTorch's {@code detach()}). */
    public Value detach() {
        return constant(data);
    }

    /** Keeps this intermediate node's gradient after {@code backward()}, as PyTorch's {@code retain_grad()}. */
    public Value retainGrad() {
        retainGrad = true;
        return this;
    }

    /**
     * Calls {@code hook} with this node's gradient during each backward pass, once all of it has
     * been accumulated and before it flows on to the inputs. For an intermediate node that is this
     * pass's gradient; for a leaf, whose gradient accumulates across passes until zeroed, it is
     * the running total. The hook must not modify the tensor.
     */
    public Value registerHook(Consumer<Tensor> hook) {
        if (hooks == null) {
            hooks = new ArrayList<>();
        }
        hooks.add(hook);
        return this;
    }

    // ---------------------------------------------------------------- gradient storage

    /**
     * The gradient tensor, allocated as zeros on first use, for backward rules that add into it
     * (for instance with a kernel's {@code accumulate} flag). Does nothing useful for values that
     * do not require a gradient: check {@link #requiresGrad()} first.
     */
    public Tensor gradBuffer() {
        return ensureGrad();
    }

    final Tensor ensureGrad() {
        if (grad == null) {
            grad = Tensor.zeros(data.shape());
        }
        return grad;
    }

    /** {@code grad += g} (same shape); a no-op for values that do not require a gradient. */
    public void accumulateGrad(Tensor g) {
        if (!requiresGrad) {
            return;
        }
        if (!g.sameShape(data)) {
            throw new IllegalArgumentException(op + ": gradient of shape " + Arrays.toString(g.shape())
                    + " does not fit a value of shape " + Arrays.toString(data.shape()));
        }
        gradBuffer().addInPlace(g);
    }

    /**
     * {@code grad[row] += alpha * src[srcOffset .. srcOffset + cols)} for a matrix value: the
     * sparse update of an embedding table. {@link Parameter}s with sparse gradients also record
     * which rows were written.
     */
    public void accumulateGradRow(int row, float alpha, float[] src, int srcOffset) {
        if (!requiresGrad) {
            return;
        }
        Tensor g = ensureGrad();
        int cols = data.cols();
        Kernels.active().axpy(alpha, src, srcOffset, g.data(), g.offset() + row * cols, cols);
    }

    /** Sets the gradient to zero (PyTorch's {@code zero_grad}); keeps the storage for reuse. */
    public void zeroGrad() {
        if (grad != null) {
            grad.fill(0f);
        }
    }

    // ---------------------------------------------------------------- backward

    /** Backpropagates from this scalar (its gradient is taken as 1). */
    public void backward() {
        if (data.size() != 1) {
            throw new IllegalArgumentException("backward() needs a scalar (one element), this " + op
                    + " has shape " + Arrays.toString(data.shape()) + "; pass an output gradient instead");
        }
        backward(Tensor.full(1f, data.shape()));
    }

    /**
     * Backpropagates with {@code outputGrad} as d(something)/d(this) (PyTorch's
     * {@code backward(gradient)}): every value this one depends on that requires a gradient gets
     * {@code outputGrad}'s vector-Jacobian product added to its gradient.
     */
    public void backward(Tensor outputGrad) {
        if (!requiresGrad) {
            throw new IllegalStateException("backward() on a value that does not require a gradient (" + op
                    + "): no input was a leaf with a gradient, or it was computed under NoGrad");
        }
        if (!outputGrad.sameShape(data)) {
            throw new IllegalArgumentException("output gradient of shape " + Arrays.toString(outputGrad.shape())
                    + " does not fit this value's shape " + Arrays.toString(data.shape()));
        }
        List<Value> order = topologicalOrder();
        // An intermediate gradient retained from an earlier pass must not flow again: set it aside.
        Map<Value, Tensor> earlier = new IdentityHashMap<>();
        for (Value node : order) {
            if (!node.isLeaf() && node.grad != null) {
                earlier.put(node, node.grad);
                node.grad = null;
            }
        }
        accumulateGrad(outputGrad);
        // Reverse topological order: a node runs only after every node that consumes it has run.
        for (int i = order.size() - 1; i >= 0; i--) {
            Value node = order.get(i);
            if (node.grad == null) {
                continue; // nothing flowed here (e.g. only through an index that was not used)
            }
            if (node.hooks != null) {
                for (Consumer<Tensor> hook : node.hooks) {
                    hook.accept(node.grad);
                }
            }
            if (node.backward != null) {
                node.backward.propagate(node.grad);
            }
        }
        for (Value node : order) {
            if (node.isLeaf()) {
                continue; // leaves accumulate across passes, as in PyTorch
            }
            Tensor before = earlier.get(node);
            if (!node.retainGrad) {
                node.grad = null;
            } else if (before != null) {
                node.grad = node.grad == null ? before : node.grad.addInPlace(before);
            }
        }
    }

    /** Nodes reachable from this one that require a gradient, each after all of its inputs. */
    private List<Value> topologicalOrder() {
        List<Value> order = new ArrayList<>();
        Set<Value> visited = Collections.newSetFromMap(new IdentityHashMap<>());
        ArrayDeque<Frame> stack = new ArrayDeque<>(); // explicit stack: deep graphs must not overflow
        visited.add(this);
        stack.push(new Frame(this));
        while (!stack.isEmpty()) {
            Frame top = stack.peek();
            if (top.nextInput < top.node.inputs.length) {
                Value input = top.node.inputs[top.nextInput++];
                if (input.requiresGrad && visited.add(input)) {
                    stack.push(new Frame(input));
                }
            } else {
                stack.pop();
                order.add(top.node);
            }
        }
        return order;
    }

    private static final class Frame {
        final Value node;
        int nextInput;

        Frame(Value node) {
            this.node = node;
        }
    }

    // ---------------------------------------------------------------- operations

    /** {@code this + other}, same shapes. */
    public Value add(Value other) {
        Value a = this;
        return fromOp("add", a.data.add(other.data), g -> {
            a.accumulateGrad(g);
            other.accumulateGrad(g);
        }, a, other);
    }

    /** {@code this - other}, same shapes. */
    public Value sub(Value other) {
        Value a = this;
        return fromOp("sub", a.data.sub(other.data), g -> {
            a.accumulateGrad(g);
            if (other.requiresGrad) {
                other.gradBuffer().axpy(-1f, g);
            }
        }, a, other);
    }

    /** Elementwise {@code this * other}, same shapes. */
    public Value mul(Value other) {
        Value a = this;
        return fromOp("mul", a.data.mul(other.data), g -> {
            if (a.requiresGrad) {
                a.accumulateGrad(g.mul(other.data));
            }
            if (other.requiresGrad) {
                other.accumulateGrad(g.mul(a.data));
            }
        }, a, other);
    }

    /** {@code alpha * this}. */
    public Value scale(float alpha) {
        Value a = this;
        return fromOp("scale", a.data.scale(alpha), g -> a.gradBuffer().axpy(alpha, g), a);
    }

    /** Matrix product {@code this [m x k] . other [k x n]}. */
    public Value matmul(Value other) {
        Value a = this;
        return fromOp("matmul", Tensor.matmul(a.data, other.data), g -> {
            if (a.requiresGrad) { // dA = dC . B^T
                Tensor.matmulTransBInto(g, other.data, a.gradBuffer(), true);
            }
            if (other.requiresGrad) { // dB = A^T . dC
                Tensor.matmulTransAInto(a.data, g, other.gradBuffer(), true);
            }
        }, a, other);
    }

    /** {@code this [..., n] + bias [n]}, the bias added to every last-axis row. */
    public Value addBias(Value bias) {
        Value a = this;
        int n = a.data.cols();
        if (bias.data.rank() != 1 || bias.data.size() != n) {
            throw new IllegalArgumentException("addBias: bias of shape " + Arrays.toString(bias.shape())
                    + " does not fit rows of length " + n + " (value shape " + Arrays.toString(a.shape()) + ")");
        }
        Tensor out = a.data.copy();
        for (int r = 0; r < out.rows(); r++) {
            lastAxisRow(out, r).addInPlace(bias.data);
        }
        return fromOp("addBias", out, g -> {
            a.accumulateGrad(g);
            if (bias.requiresGrad) {
                Tensor gb = bias.gradBuffer();
                for (int r = 0; r < g.rows(); r++) {
                    gb.addInPlace(lastAxisRow(g, r));
                }
            }
        }, a, bias);
    }

    /** {@code max(this, 0)}; the gradient at exactly 0 is taken as 0, as in PyTorch. */
    public Value relu() {
        Value a = this;
        Tensor out = a.data.relu();
        return fromOp("relu", out, g -> {
            Tensor gx = Tensor.zeros(a.data.shape());
            float[] x = a.data.data();
            for (int i = 0; i < gx.size(); i++) {
                gx.data()[i] = x[a.data.offset() + i] > 0f ? g.data()[g.offset() + i] : 0f;
            }
            a.accumulateGrad(gx);
        }, a);
    }

    /** Elementwise {@code tanh}; d/dx = 1 - tanh^2. */
    public Value tanh() {
        Value a = this;
        Tensor out = a.data.tanh();
        return fromOp("tanh", out, g -> {
            Tensor gx = Tensor.zeros(out.shape());
            for (int i = 0; i < gx.size(); i++) {
                float y = out.data()[i];
                gx.data()[i] = g.data()[g.offset() + i] * (1f - y * y);
            }
            a.accumulateGrad(gx);
        }, a);
    }

    /** Elementwise logistic sigmoid {@code 1 / (1 + exp(-x))}; d/dx = s (1 - s). */
    public Value sigmoid() {
        Value a = this;
        Tensor out = Tensor.zeros(a.data.shape());
        float[] x = a.data.data();
        for (int i = 0; i < out.size(); i++) {
            out.data()[i] = ElementOps.sigmoid(x[a.data.offset() + i]);
        }
        return fromOp("sigmoid", out, g -> {
            Tensor gx = Tensor.zeros(out.shape());
            for (int i = 0; i < gx.size(); i++) {
                float s = out.data()[i];
                gx.data()[i] = g.data()[g.offset() + i] * s * (1f - s);
            }
            a.accumulateGrad(gx);
        }, a);
    }

    /** Softmax over the last axis; dx = s * (g - sum_j g_j s_j) per row. */
    public Value softmax() {
        Value a = this;
        Tensor s = a.data.softmax();
        return fromOp("softmax", s, g -> {
            int n = s.cols();
            Tensor gx = Tensor.zeros(s.shape());
            for (int r = 0; r < s.rows(); r++) {
                double dot = 0;
                for (int j = 0; j < n; j++) {
                    dot += (double) g.data()[g.offset() + r * n + j] * s.data()[r * n + j];
                }
                for (int j = 0; j < n; j++) {
                    gx.data()[r * n + j] = s.data()[r * n + j] * (float) (g.data()[g.offset() + r * n + j] - dot);
                }
            }
            a.accumulateGrad(gx);
        }, a);
    }

    /** Log-softmax over the last axis; dx = g - softmax * sum_j g_j per row. */
    public Value logSoftmax() {
        Value a = this;
        Tensor out = a.data.logSoftmax();
        return fromOp("logSoftmax", out, g -> {
            int n = out.cols();
            Tensor gx = Tensor.zeros(out.shape());
            for (int r = 0; r < out.rows(); r++) {
                double sum = 0;
                for (int j = 0; j < n; j++) {
                    sum += g.data()[g.offset() + r * n + j];
                }
                for (int j = 0; j < n; j++) {
                    double p = Math.exp(out.data()[r * n + j]);
                    gx.data()[r * n + j] = (float) (g.data()[g.offset() + r * n + j] - p * sum);
                }
            }
            a.accumulateGrad(gx);
        }, a);
    }

    /** Sum of all elements, a scalar (rank 0). */
    public Value sum() {
        Value a = this;
        return fromOp("sum", Tensor.full(a.data.sum()), g -> addEverywhere(a, g.item()), a);
    }

    /** Mean of all elements, a scalar (rank 0). */
    public Value mean() {
        Value a = this;
        int n = a.data.size();
        return fromOp("mean", Tensor.full(a.data.sum() / n), g -> addEverywhere(a, g.item() / n), a);
    }

    /** Row {@code r} of the last axis, as a rank-1 view. */
    static Tensor lastAxisRow(Tensor t, int r) {
        int n = t.cols();
        return Tensor.wrap(t.data(), t.offset() + r * n, n);
    }

    private static void addEverywhere(Value a, float v) {
        if (a.requiresGrad) {
            Tensor gx = a.gradBuffer();
            for (int i = 0; i < gx.size(); i++) {
                gx.data()[gx.offset() + i] += v;
            }
        }
    }

    /** The same elements under another shape (a view of the data). */
    public Value reshape(int... newShape) {
        Value a = this;
        int[] oldShape = a.data.shape();
        return fromOp("reshape", a.data.reshape(newShape), g -> a.accumulateGrad(g.reshape(oldShape)), a);
    }

    @Override
    public String toString() {
        return "Value(" + op + ", shape " + Arrays.toString(data.shape()) + (requiresGrad ? ", requires grad)" : ")");
    }
}
