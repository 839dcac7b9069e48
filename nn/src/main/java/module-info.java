/** keel nn: autograd, layers, loss kernels, optimizers and model files. */
module dev.keel.nn {
    requires transitive dev.keel.core;
    requires static jdk.incubator.vector;

    exports dev.keel.nn;
    exports dev.keel.nn.autograd;
    exports dev.keel.nn.io;
    exports dev.keel.nn.loss;
    exports dev.keel.nn.optim;
}
