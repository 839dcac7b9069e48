package dev.keel.nn;

import dev.keel.nn.autograd.Value;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;

/** Layers applied in order; parameters are named by position ({@code "0.weight"}), as in PyTorch. */
public final class Sequential extends Layer {

    private final List<Layer> layers = new ArrayList<>();

    public Sequential(Layer... layers) {
        for (Layer layer : layers) {
            this.layers.add(registerModule(Integer.toString(this.layers.size()), layer));
        }
    }

    public List<Layer> layers() {
        return Collections.unmodifiableList(layers);
    }

    @Override
    public Value forward(Value input) {
        Value x = input;
        for (Layer layer : layers) {
            x = layer.forward(x);
        }
        return x;
    }
}
