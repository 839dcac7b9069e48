package dev.keel.classifier;

import dev.keel.core.IdBags;
import dev.keel.text.TokenIdFeaturizer;

import java.util.List;

/**
 * Predictions from a loaded model, safe to call from many threads at once: the classifier's
 * inference only reads the parameters and keeps its scratch per thread, and each thread gets its
 * own featurizer (a {@link TokenIdFeaturizer} reuses buffers and is not thread-safe), sharing the
 * immutable tokenizer, vocabulary and token weighting. Results do not depend on the thread or on what it predicted
 * before.
 */
final class Predictor {

    private final ModelFolder.TrainedModel model;
    private final ThreadLocal<TokenIdFeaturizer> featurizers;

    Predictor(ModelFolder.TrainedModel model) {
        this.model = model;
        TokenIdFeaturizer shared = model.featurizer();
        this.featurizers = ThreadLocal.withInitial(shared::copy);
    }

    public ModelFolder.TrainedModel model() {
        return model;
    }

    public int classes() {
        return model.labels().size();
    }

    /** The logits of each text, {@code texts.size() x classes()} row-major. */
    public float[] logits(List<String> texts) {
        float[] out = new float[texts.size() * classes()];
        model.classifier().logits(featurizers.get().bags(texts), out);
        return out;
    }
}
