/**
 * Modules and layers with PyTorch's habits ({@link dev.keel.nn.Module}, {@link dev.keel.nn.Linear},
 * {@link dev.keel.nn.EmbeddingBag}, ...), initializers, and the bag-of-embeddings text classifier
 * with its allocation-free training step ({@link dev.keel.nn.BagOfEmbeddingsClassifier}).
 */
package dev.keel.nn;
