/**
 * keel classifier: the product on top of core, nn and text. {@link dev.keel.classifier.TextClassifier}
 * trains a text classifier as {@code keel train} does, saves and loads its model folder, predicts
 * and evaluates; the training run, model folder, metrics and loss syntax behind it are here too.
 */
module dev.keel.classifier {
    requires transitive dev.keel.nn;
    requires transitive dev.keel.text;

    exports dev.keel.classifier;
}
