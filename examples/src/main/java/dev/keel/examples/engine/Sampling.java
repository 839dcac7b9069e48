package dev.keel.examples.engine;

import dev.keel.core.KeelRandom;
import dev.keel.examples.InputException;

import java.util.ArrayList;
import java.util.List;

/** Interim stratified sampling (replaced by the {@code text} module's once it lands). */
public final class Sampling {

    private Sampling() {
    }

    /** Row indices per class, in file order. */
    static List<List<Integer>> byClass(LabeledTexts data) {
        List<List<Integer>> rows = new ArrayList<>();
        for (int c = 0; c < data.classes(); c++) {
            rows.add(new ArrayList<>());
        }
        for (int i = 0; i < data.size(); i++) {
            rows.get(data.labels()[i]).add(i);
        }
        return rows;
    }

    /** Exactly {@code counts[c]} random rows of each class c (all of them when counts[c] < 0). */
    public static LabeledTexts subsample(LabeledTexts data, int[] counts, KeelRandom random) {
        List<List<Integer>> rows = byClass(data);
        List<Integer> picked = new ArrayList<>();
        for (int c = 0; c < rows.size(); c++) {
            List<Integer> list = rows.get(c);
            int want = counts[c] < 0 ? list.size() : counts[c];
            if (want > list.size()) {
                throw new InputException(data.source() + " has " + list.size() + " rows of class '"
                        + data.labelNames().get(c) + "', fewer than the " + want + " asked for");
            }
            int[] idx = list.stream().mapToInt(Integer::intValue).toArray();
            random.shuffle(idx);
            for (int i = 0; i < want; i++) {
                picked.add(idx[i]);
            }
        }
        int[] order = picked.stream().mapToInt(Integer::intValue).toArray();
        random.shuffle(order);
        return data.subset(order, data.source());
    }

    /** Splits off round(fraction * n_c) random rows of every class c: {[rest, held out]}. */
    public static LabeledTexts[] stratifiedSplit(LabeledTexts data, double fraction, KeelRandom random) {
        List<List<Integer>> rows = byClass(data);
        List<Integer> rest = new ArrayList<>();
        List<Integer> held = new ArrayList<>();
        for (List<Integer> list : rows) {
            int[] idx = list.stream().mapToInt(Integer::intValue).toArray();
            random.shuffle(idx);
            int h = (int) Math.round(fraction * idx.length);
            for (int i = 0; i < idx.length; i++) {
                (i < h ? held : rest).add(idx[i]);
            }
        }
        int[] a = rest.stream().mapToInt(Integer::intValue).toArray();
        int[] b = held.stream().mapToInt(Integer::intValue).toArray();
        random.shuffle(a);
        random.shuffle(b);
        return new LabeledTexts[] {data.subset(a, data.source()), data.subset(b, data.source() + " (held out)")};
    }
}
