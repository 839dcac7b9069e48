package dev.keel.text;

import java.util.Arrays;

/**
 * A sparse float vector: the non-zero entries' {@code indices} (strictly increasing, in
 * {@code [0, dimension)}) and their {@code values}. The arrays are shared, not copied (records
 * compare them by identity).
 */
public record SparseVector(int dimension, int[] indices, float[] values) {

    public SparseVector {
        if (indices == null || values == null) {
            throw new IllegalArgumentException("indices and values must not be null");
        }
        if (dimension < 0) {
            throw new IllegalArgumentException("dimension must be non-negative, got " + dimension);
        }
        if (indices.length != values.length) {
            throw new IllegalArgumentException(indices.length + " indices but " + values.length + " values");
        }
        for (int k = 0; k < indices.length; k++) {
            if (indices[k] < 0 || indices[k] >= dimension || (k > 0 && indices[k] <= indices[k - 1])) {
                throw new IllegalArgumentException("indices must increase strictly within [0, " + dimension
                        + "); index " + k + " is " + indices[k]);
            }
        }
    }

    /** The number of stored entries. */
    public int nnz() {
        return indices.length;
    }

    /** The value at {@code index} (0 when not stored). */
    public float get(int index) {
        if (index < 0 || index >= dimension) {
            throw new IndexOutOfBoundsException("index " + index + " outside dimension " + dimension);
        }
        int k = Arrays.binarySearch(indices, index);
        return k >= 0 ? values[k] : 0f;
    }

    /** The dot product with a dense vector of the same dimension, accumulated in double. */
    public double dot(float[] dense) {
        if (dense.length != dimension) {
            throw new IllegalArgumentException("dense vector of length " + dense.length + " for dimension " + dimension);
        }
        double sum = 0;
        for (int k = 0; k < indices.length; k++) {
            sum += (double) values[k] * dense[indices[k]];
        }
        return sum;
    }

    /** The Euclidean norm. */
    public double norm() {
        double sum = 0;
        for (float v : values) {
            sum += (double) v * v;
        }
        return Math.sqrt(sum);
    }

    public float[] toDense() {
        float[] dense = new float[dimension];
        for (int k = 0; k < indices.length; k++) {
            dense[indices[k]] = values[k];
        }
        return dense;
    }

    @Override
    public String toString() {
        StringBuilder sb = new StringBuilder("SparseVector(").append(dimension).append(": ");
        for (int k = 0; k < indices.length; k++) {
            sb.append(k == 0 ? "" : ", ").append(indices[k]).append('=').append(values[k]);
        }
        return sb.append(')').toString();
    }
}
