/**
 * keel's raw-array operations for the layers of a text classifier, grouped in one place (as EJML
 * groups its operations): the embedding bag's reduce and its backward ({@link BagOps}), a dense
 * layer's forward and backward over rows ({@link DenseOps}), and the elementwise ones
 * ({@link ElementOps}: dropout masks, sigmoid, the ReLU's gradient). Autograd's {@code Functional},
 * the classifier's fused training step and its inference all call these: each computation is
 * written once. No argument checks here: callers check shapes and ids first.
 */
package dev.keel.nn.ops;
