package dev.keel.examples.engine;

import java.util.ArrayList;
import java.util.List;

/**
 * Texts with class labels, as read from one file: {@code labels[i]} indexes {@code labelNames}.
 *
 * @param source     where the rows came from (a file name), for messages
 * @param labelNames the classes, in index order
 */
public record LabeledTexts(String source, List<String> texts, int[] labels, List<String> labelNames) {

    public LabeledTexts {
        if (texts.size() != labels.length) {
            throw new IllegalArgumentException(texts.size() + " texts but " + labels.length + " labels");
        }
    }

    public int size() {
        return texts.size();
    }

    public int classes() {
        return labelNames.size();
    }

    /** Rows per class, in label index order. */
    public int[] classCounts() {
        int[] counts = new int[labelNames.size()];
        for (int label : labels) {
            counts[label]++;
        }
        return counts;
    }

    /** The rows at {@code indices}, in that order. */
    public LabeledTexts subset(int[] indices, String newSource) {
        List<String> t = new ArrayList<>(indices.length);
        int[] l = new int[indices.length];
        for (int i = 0; i < indices.length; i++) {
            t.add(texts.get(indices[i]));
            l[i] = labels[indices[i]];
        }
        return new LabeledTexts(newSource, t, l, labelNames);
    }
}
