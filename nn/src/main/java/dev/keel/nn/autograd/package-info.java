/**
 * Reverse-mode automatic differentiation, define-by-run: {@link dev.keel.nn.autograd.Value} (the
 * engine and the tensor operations), {@link dev.keel.nn.autograd.Functional} (operations on ids,
 * seeds and loss kernels), {@link dev.keel.nn.autograd.Parameter} (trainable leaves, row-sparse
 * for embedding tables), {@link dev.keel.nn.autograd.NoGrad} and the finite-difference
 * {@link dev.keel.nn.autograd.GradCheck}.
 */
package dev.keel.nn.autograd;
