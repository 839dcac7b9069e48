package dev.keel.core;

import dev.keel.core.kernel.FloatKernels;
import dev.keel.core.kernel.Kernels;

import java.util.Arrays;

/**
 * A dense float tensor: a shape over a contiguous, row-major run of a plain {@code float[]}.
 *
 * <p>Layout: element {@code (i0, ..., i_{r-1})} lives at {@code offset() + sum_d i_d * stride_d}
 * with {@code stride_{r-1} = 1} and {@code stride_d = stride_{d+1} * shape[d+1]}; strides are
 * implied by the shape, never stored, so every tensor is contiguous. Views ({@link #reshape},
 * {@link #row}, {@link #rows}) share the array and differ only in offset and shape; writing through a
 * view writes the parent. "Rows" of a tensor of rank {@code r >= 1} are its last-axis vectors:
 * {@link #rows()} is the product of all but the last dimension and {@link #cols()} the last.
 *
 * <p>Operations named like verbs ({@code add}, {@code exp}) return new tensors; the {@code ...Into}
 * and {@code ...InPlace} forms write into existing storage so training loops need not allocate.
 * Arguments are checked: a shape mismatch, a negative size or an index out of range throws an
 * {@link IllegalArgumentException} that names the shapes or values.
 */
public final class Tensor {

    private final float[] data;
    private final int offset;
    private final int[] shape;
    private final int size;

    private Tensor(float[] data, int offset, int[] shape) {
        this.data = data;
        this.offset = offset;
        this.shape = shape;
        this.size = sizeOf(shape);
    }

    // ---------------------------------------------------------------- creation

    /** A new tensor of zeros. */
    public static Tensor zeros(int... shape) {
        int[] s = checkedShape(shape);
        return new Tensor(new float[sizeOf(s)], 0, s);
    }

    /** Wraps {@code data} (no copy); its length must equal the shape's size. */
    public static Tensor of(float[] data, int... shape) {
        int[] s = checkedShape(shape);
        if (data.length != sizeOf(s)) {
            throw new IllegalArgumentException("array of length " + data.length + " does not fit shape "
                    + Arrays.toString(s) + " (size " + sizeOf(s) + ")");
        }
        return new Tensor(data, 0, s);
    }

    /** Wraps {@code data[offset, offset + size)} (no copy). */
    public static Tensor wrap(float[] data, int offset, int... shape) {
        int[] s = checkedShape(shape);
        int n = sizeOf(s);
        if (offset < 0 || offset > data.length - n) {
            throw new IllegalArgumentException("shape " + Arrays.toString(s) + " at offset " + offset
                    + " does not fit an array of length " + data.length);
        }
        return new Tensor(data, offset, s);
    }

    /** A tensor of the given shape filled with {@code value}. */
    public static Tensor full(float value, int... shape) {
        Tensor t = zeros(shape);
        Arrays.fill(t.data, value);
        return t;
    }

    /** Normal draws with the given mean and standard deviation (finite, std >= 0). */
    public static Tensor randn(KeelRandom random, float mean, float std, int... shape) {
        if (!Float.isFinite(mean) || !(std >= 0f) || Float.isInfinite(std)) {
            throw new IllegalArgumentException("randn needs a finite mean and a finite std >= 0, got mean " + mean
                    + ", std " + std);
        }
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = (float) (mean + std * random.nextGaussian());
        }
        return t;
    }

    /** Uniform draws in {@code [low, high)}. */
    public static Tensor uniform(KeelRandom random, float low, float high, int... shape) {
        if (!(low <= high) || Float.isInfinite(low) || Float.isInfinite(high)) {
            throw new IllegalArgumentException("uniform needs finite low <= high, got [" + low + ", " + high + ")");
        }
        Tensor t = zeros(shape);
        for (int i = 0; i < t.size; i++) {
            t.data[i] = low + (high - low) * random.nextFloat();
        }
        return t;
    }

    // ---------------------------------------------------------------- layout

    /** The backing array (shared with views). Element 0 is at {@link #offset()}. */
    public float[] data() {
        return data;
    }

    public int offset() {
        return offset;
    }

    /** A copy of the shape. */
    public int[] shape() {
        return shape.clone();
    }

    public int rank() {
        return shape.length;
    }

    public int dim(int axis) {
        if (axis < 0 || axis >= shape.length) {
            throw new IllegalArgumentException("axis " + axis + " out of range for shape " + Arrays.toString(shape));
        }
        return shape[axis];
    }

    public int size() {
        return size;
    }

    /** Number of last-axis vectors: the product of all but the last dimension (1 for rank 0 or 1). */
    public int rows() {
        int r = 1;
        for (int d = 0; d < shape.length - 1; d++) {
            r *= shape[d];
        }
        return r;
    }

    /** Length of the last axis (1 for a scalar). */
    public int cols() {
        return shape.length == 0 ? 1 : shape[shape.length - 1];
    }

    /** The same elements under another shape of equal size (a view). */
    public Tensor reshape(int... newShape) {
        int[] s = checkedShape(newShape);
        if (sizeOf(s) != size) {
            throw new IllegalArgumentException("cannot reshape " + Arrays.toString(shape) + " (size " + size
                    + ") to " + Arrays.toString(s) + " (size " + sizeOf(s) + ")");
        }
        return new Tensor(data, offset, s);
    }

    /** Row {@code i} along the first axis, as a view of rank {@code rank() - 1}. */
    public Tensor row(int i) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no rows");
        }
        checkIndex(i, shape[0], "row");
        int[] s = Arrays.copyOfRange(shape, 1, shape.length);
        return new Tensor(data, offset + i * sizeOf(s), s);
    }

    /** Rows {@code [from, to)} along the first axis, as a view. */
    public Tensor rows(int from, int to) {
        if (shape.length == 0) {
            throw new IllegalArgumentException("a scalar has no rows");
        }
        if (from < 0 || to > shape[0] || from > to) {
            throw new IllegalArgumentException("rows [" + from + ", " + to + ") out of range for shape "
                    + Arrays.toString(shape));
        }
        int[] s = shape.clone();
        s[0] = to - from;
        return new Tensor(data, offset + from * (shape[0] == 0 ? 0 : size / shape[0]), s);
    }

    public float get(int... index) {
        return data[flatIndex(index)];
    }

    public void set(float value, int... index) {
        data[flatIndex(index)] = value;
    }

    /** The scalar value of a one-element tensor. */
    public float item() {
        if (size != 1) {
            throw new IllegalArgumentException("item() needs one element, shape is " + Arrays.toString(shape));
        }
        return data[offset];
    }

    /** A copy of the elements, in row-major order. */
    public float[] toArray() {
        return Arrays.copyOfRange(data, offset, offset + size);
    }

    /** A tensor with its own copy of the elements. */
    public Tensor copy() {
        return new Tensor(toArray(), 0, shape.clone());
    }

    public void fill(float value) {
        Arrays.fill(data, offset, offset + size, value);
    }

    /** Copies {@code src}'s elements into this tensor; sizes must match. */
    public void copyFrom(Tensor src) {
        requireSameSize(src, "copyFrom");
        System.arraycopy(src.data, src.offset, data, offset, size);
    }

    /** True when the shapes are equal. */
    public boolean sameShape(Tensor other) {
        return Arrays.equals(shape, other.shape);
    }

    // ---------------------------------------------------------------- elementwise

    public Tensor add(Tensor b) {
        requireSameShape(b, "add");
        Tensor out = zeros(shape);
        k().add(data, offset, b.data, b.offset, out.data, 0, size);
        return out;
    }

    public Tensor sub(Tensor b) {
        requireSameShape(b, "sub");
        Tensor out = zeros(shape);
        k().sub(data, offset, b.data, b.offset, out.data, 0, size);
        return out;
    }

    public Tensor mul(Tensor b) {
        requireSameShape(b, "mul");
        Tensor out = zeros(shape);
        k().mul(data, offset, b.data, b.offset, out.data, 0, size);
        return out;
    }

    public Tensor scale(float alpha) {
        Tensor out = zeros(shape);
        k().scale(alpha, data, offset, out.data, 0, size);
        return out;
    }

    /** {@code this += b}. */
    public Tensor addInPlace(Tensor b) {
        requireSameShape(b, "addInPlace");
        k().add(data, offset, b.data, b.offset, data, offset, size);
        return this;
    }

    /** {@code this *= alpha}. */
    public Tensor scaleInPlace(float alpha) {
        k().scale(alpha, data, offset, data, offset, size);
        return this;
    }

    /** {@code this += alpha * x} (BLAS axpy). */
    public Tensor axpy(float alpha, Tensor x) {
        requireSameShape(x, "axpy");
        k().axpy(alpha, x.data, x.offset, data, offset, size);
        return this;
    }

    public Tensor exp() {
        Tensor out = zeros(shape);
        k().exp(data, offset, out.data, 0, size);
        return out;
    }

    public Tensor log() {
        Tensor out = zeros(shape);
        k().log(data, offset, out.data, 0, size);
        return out;
    }

    public Tensor tanh() {
        Tensor out = zeros(shape);
        k().tanh(data, offset, out.data, 0, size);
        return out;
    }

    public Tensor relu() {
        Tensor out = zeros(shape);
        k().relu(data, offset, out.data, 0, size);
        return out;
    }

    // ---------------------------------------------------------------- reductions over the last axis

    /** Sum of all elements. */
    public float sum() {
        return k().sum(data, offset, size);
    }

    /** Sum along the last axis: shape {@code [..., n] -> [...]}. */
    public Tensor sumLastAxis() {
        requireRankAtLeast(1, "sumLastAxis");
        Tensor out = zeros(Arrays.copyOf(shape, shape.length - 1));
        int c = cols();
        for (int r = 0; r < out.size; r++) {
            out.data[r] = k().sum(data, offset + r * c, c);
        }
        return out;
    }

    /** Max along the last axis: shape {@code [..., n] -> [...]}; the last axis must be non-empty. */
    public Tensor maxLastAxis() {
        requireRankAtLeast(1, "maxLastAxis");
        requireNonEmptyLastAxis("maxLastAxis");
        Tensor out = zeros(Arrays.copyOf(shape, shape.length - 1));
        int c = cols();
        for (int r = 0; r < out.size; r++) {
            out.data[r] = k().max(data, offset + r * c, c);
        }
        return out;
    }

    /** Index of the largest element of each last-axis row (the first one on ties; NaN is largest). */
    public int[] argmaxLastAxis() {
        requireRankAtLeast(1, "argmaxLastAxis");
        requireNonEmptyLastAxis("argmaxLastAxis");
        int c = cols();
        int[] out = new int[rows()];
        for (int r = 0; r < out.length; r++) {
            int base = offset + r * c;
            int best = 0;
            float bestValue = data[base];
            for (int j = 1; j < c; j++) {
                float v = data[base + j];
                if (v > bestValue || (Float.isNaN(v) && !Float.isNaN(bestValue))) {
                    best = j;
                    bestValue = v;
                }
            }
            out[r] = best;
        }
        return out;
    }

    /** Row-wise softmax over the last axis. */
    public Tensor softmax() {
        requireRankAtLeast(1, "softmax");
        Tensor out = zeros(shape);
        k().softmaxRows(data, offset, out.data, 0, rows(), cols());
        return out;
    }

    /** Row-wise log-softmax over the last axis. */
    public Tensor logSoftmax() {
        requireRankAtLeast(1, "logSoftmax");
        Tensor out = zeros(shape);
        k().logSoftmaxRows(data, offset, out.data, 0, rows(), cols());
        return out;
    }

    // ---------------------------------------------------------------- matrix products

    /** {@code A . B} for {@code A [m x k]}, {@code B [k x n]}. */
    public static Tensor matmul(Tensor a, Tensor b) {
        requireMatrix(a, "matmul A");
        requireMatrix(b, "matmul B");
        Tensor c = zeros(a.shape[0], b.shape[1]);
        matmulInto(a, b, c, false);
        return c;
    }

    /** {@code C (+)= A . B}. */
    public static void matmulInto(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        requireMatrix(a, "matmul A");
        requireMatrix(b, "matmul B");
        requireMatrix(c, "matmul C");
        int m = a.shape[0], k = a.shape[1], n = b.shape[1];
        if (b.shape[0] != k || c.shape[0] != m || c.shape[1] != n) {
            throw new IllegalArgumentException("matmul shapes do not fit: A " + Arrays.toString(a.shape) + " . B "
                    + Arrays.toString(b.shape) + " -> C " + Arrays.toString(c.shape));
        }
        requireDisjoint(c, a, "matmul C", "A");
        requireDisjoint(c, b, "matmul C", "B");
        Kernels.active().matmul(a.data, a.offset, b.data, b.offset, c.data, c.offset, m, k, n, accumulate);
    }

    /** {@code A . B^T} for {@code A [m x k]}, {@code B [n x k]}. */
    public static Tensor matmulTransB(Tensor a, Tensor b) {
        requireMatrix(a, "matmulTransB A");
        requireMatrix(b, "matmulTransB B");
        Tensor c = zeros(a.shape[0], b.shape[0]);
        matmulTransBInto(a, b, c, false);
        return c;
    }

    /** {@code C (+)= A . B^T}. */
    public static void matmulTransBInto(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        requireMatrix(a, "matmulTransB A");
        requireMatrix(b, "matmulTransB B");
        requireMatrix(c, "matmulTransB C");
        int m = a.shape[0], k = a.shape[1], n = b.shape[0];
        if (b.shape[1] != k || c.shape[0] != m || c.shape[1] != n) {
            throw new IllegalArgumentException("matmulTransB shapes do not fit: A " + Arrays.toString(a.shape)
                    + " . B^T with B " + Arrays.toString(b.shape) + " -> C " + Arrays.toString(c.shape));
        }
        requireDisjoint(c, a, "matmulTransB C", "A");
        requireDisjoint(c, b, "matmulTransB C", "B");
        Kernels.active().matmulTransB(a.data, a.offset, b.data, b.offset, c.data, c.offset, m, k, n, accumulate);
    }

    /** {@code A^T . B} for {@code A [k x m]}, {@code B [k x n]}. */
    public static Tensor matmulTransA(Tensor a, Tensor b) {
        requireMatrix(a, "matmulTransA A");
        requireMatrix(b, "matmulTransA B");
        Tensor c = zeros(a.shape[1], b.shape[1]);
        matmulTransAInto(a, b, c, false);
        return c;
    }

    /** {@code C (+)= A^T . B}. */
    public static void matmulTransAInto(Tensor a, Tensor b, Tensor c, boolean accumulate) {
        requireMatrix(a, "matmulTransA A");
        requireMatrix(b, "matmulTransA B");
        requireMatrix(c, "matmulTransA C");
        int k = a.shape[0], m = a.shape[1], n = b.shape[1];
        if (b.shape[0] != k || c.shape[0] != m || c.shape[1] != n) {
            throw new IllegalArgumentException("matmulTransA shapes do not fit: A^T with A " + Arrays.toString(a.shape)
                    + " . B " + Arrays.toString(b.shape) + " -> C " + Arrays.toString(c.shape));
        }
        requireDisjoint(c, a, "matmulTransA C", "A");
        requireDisjoint(c, b, "matmulTransA C", "B");
        Kernels.active().matmulTransA(a.data, a.offset, b.data, b.offset, c.data, c.offset, m, k, n, accumulate);
    }

    // ---------------------------------------------------------------- embedding lookup

    /** Rows {@code ids[i]} of this {@code [vocab x dim]} matrix, stacked: {@code [ids.length x dim]}. */
    public Tensor gatherRows(int[] ids) {
        requireMatrix(this, "gatherRows");
        int dim = shape[1];
        Tensor out = zeros(ids.length, dim);
        for (int i = 0; i < ids.length; i++) {
            checkIndex(ids[i], shape[0], "gatherRows id at position " + i);
            System.arraycopy(data, offset + ids[i] * dim, out.data, i * dim, dim);
        }
        return out;
    }

    /** {@code this[ids[i]] += src[i]} for every i: the gradient of {@link #gatherRows}. */
    public void scatterAddRows(int[] ids, Tensor src) {
        requireMatrix(this, "scatterAddRows");
        requireMatrix(src, "scatterAddRows source");
        int dim = shape[1];
        if (src.shape[0] != ids.length || src.shape[1] != dim) {
            throw new IllegalArgumentException("scatterAddRows: source " + Arrays.toString(src.shape) + " does not fit "
                    + ids.length + " ids into " + Arrays.toString(shape));
        }
        for (int i = 0; i < ids.length; i++) {
            checkIndex(ids[i], shape[0], "scatterAddRows id at position " + i);
            Kernels.active().axpy(1f, src.data, src.offset + i * dim, data, offset + ids[i] * dim, dim);
        }
    }

    // ---------------------------------------------------------------- checks and helpers

    /** Throws if any element is NaN or infinite, naming the first one's index. */
    public Tensor requireFinite(String what) {
        for (int i = 0; i < size; i++) {
            float v = data[offset + i];
            if (!Float.isFinite(v)) {
                throw new IllegalArgumentException(what + ": element " + i + " of shape " + Arrays.toString(shape)
                        + " is " + v);
            }
        }
        return this;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("Tensor").append(Arrays.toString(shape)).append(' ');
        int shown = Math.min(size, 16);
        sb.append('[');
        for (int i = 0; i < shown; i++) {
            sb.append(i == 0 ? "" : ", ").append(data[offset + i]);
        }
        return sb.append(size > shown ? ", ...]" : "]").toString();
    }

    private static FloatKernels k() {
        return Kernels.active();
    }

    private int flatIndex(int[] index) {
        if (index.length != shape.length) {
            throw new IllegalArgumentException("index " + Arrays.toString(index) + " has " + index.length
                    + " coordinates, shape " + Arrays.toString(shape) + " has " + shape.length);
        }
        int flat = 0;
        for (int d = 0; d < shape.length; d++) {
            checkIndex(index[d], shape[d], "coordinate " + d + " of " + Arrays.toString(index));
            flat = flat * shape[d] + index[d];
        }
        return offset + flat;
    }

    private static void checkIndex(int i, int bound, String what) {
        if (i < 0 || i >= bound) {
            throw new IllegalArgumentException(what + " = " + i + " is out of range [0, " + bound + ")");
        }
    }

    private static int[] checkedShape(int[] shape) {
        long n = 1;
        for (int d : shape) {
            if (d < 0) {
                throw new IllegalArgumentException("negative size in shape " + Arrays.toString(shape));
            }
            n *= d;
            if (n > Integer.MAX_VALUE - 8) {
                throw new IllegalArgumentException("shape " + Arrays.toString(shape) + " has more than 2^31 elements");
            }
        }
        return shape.clone();
    }

    private static int sizeOf(int[] shape) {
        int n = 1;
        for (int d : shape) {
            n *= d;
        }
        return n;
    }

    private void requireSameShape(Tensor b, String op) {
        if (!Arrays.equals(shape, b.shape)) {
            throw new IllegalArgumentException(op + ": shapes differ, " + Arrays.toString(shape) + " vs "
                    + Arrays.toString(b.shape));
        }
    }

    private void requireSameSize(Tensor b, String op) {
        if (size != b.size) {
            throw new IllegalArgumentException(op + ": sizes differ, " + Arrays.toString(shape) + " vs "
                    + Arrays.toString(b.shape));
        }
    }

    private void requireRankAtLeast(int r, String op) {
        if (shape.length < r) {
            throw new IllegalArgumentException(op + " needs rank >= " + r + ", shape is " + Arrays.toString(shape));
        }
    }

    private void requireNonEmptyLastAxis(String op) {
        if (cols() == 0) {
            throw new IllegalArgumentException(op + " needs a non-empty last axis, shape is " + Arrays.toString(shape));
        }
    }

    /** The output of a product must not share elements with an input (the kernels read inputs after writing). */
    private static void requireDisjoint(Tensor out, Tensor in, String outName, String inName) {
        boolean overlap = out.data == in.data && out.size > 0 && in.size > 0
                && out.offset < in.offset + in.size && in.offset < out.offset + out.size;
        if (overlap) {
            throw new IllegalArgumentException(outName + " " + Arrays.toString(out.shape) + " overlaps " + inName + " "
                    + Arrays.toString(in.shape) + " in the same array");
        }
    }

    private static void requireMatrix(Tensor t, String what) {
        if (t.shape.length != 2) {
            throw new IllegalArgumentException(what + " must be a matrix, shape is " + Arrays.toString(t.shape));
        }
    }
}
