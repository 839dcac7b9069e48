package dev.keel.nn;

import dev.keel.nn.autograd.Parameter;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The base of every layer and model, with PyTorch's habits: a module owns {@link Parameter}s and
 * child modules, registered under names; {@link #namedParameters()} walks the tree and names
 * each parameter by its path ({@code "hidden.weight"}); {@link #train()} and {@link #eval()}
 * switch the mode of the whole tree (dropout only drops in training).
 *
 * <p>Modules whose forward maps one {@link dev.keel.nn.autograd.Value} to another extend
 * {@link Layer}; those that take ids ({@link Embedding}, {@link EmbeddingBag}) have their own
 * {@code forward}.
 */
public abstract class Module {

    private final Map<String, Parameter> parameters = new LinkedHashMap<>();
    private final Map<String, Module> children = new LinkedHashMap<>();
    private boolean training = true;

    protected Module() {
    }

    /** Registers {@code parameter} under {@code name} (unique within this module) and returns it. */
    protected final Parameter registerParameter(String name, Parameter parameter) {
        checkName(name);
        parameters.put(name, parameter);
        return parameter;
    }

    /** Registers a child module under {@code name} and returns it. */
    protected final <M extends Module> M registerModule(String name, M module) {
        checkName(name);
        children.put(name, module);
        return module;
    }

    private void checkName(String name) {
        if (name == null || name.isEmpty() || name.contains(".")) {
            throw new IllegalArgumentException("a parameter or module name must be non-empty and contain no '.', got "
                    + name);
        }
        if (parameters.containsKey(name) || children.containsKey(name)) {
            throw new IllegalArgumentException(getClass().getSimpleName() + " already has a member named " + name);
        }
    }

    /** All parameters of this module and its descendants, in registration order. */
    public final List<Parameter> parameters() {
        return new ArrayList<>(namedParameters().values());
    }

    /** All parameters by dotted path, e.g. {@code "0.weight"} for the first layer of a {@link Sequential}. */
    public final Map<String, Parameter> namedParameters() {
        Map<String, Parameter> out = new LinkedHashMap<>();
        collect("", out);
        return Collections.unmodifiableMap(out);
    }

    private void collect(String prefix, Map<String, Parameter> out) {
        for (Map.Entry<String, Parameter> e : parameters.entrySet()) {
            out.put(prefix + e.getKey(), e.getValue());
        }
        for (Map.Entry<String, Module> e : children.entrySet()) {
            e.getValue().collect(prefix + e.getKey() + ".", out);
        }
    }

    /** The direct children, by name. */
    public final Map<String, Module> children() {
        return Collections.unmodifiableMap(children);
    }

    /** Total number of scalar parameters. */
    public final long parameterCount() {
        long n = 0;
        for (Parameter p : namedParameters().values()) {
            n += p.data().size();
        }
        return n;
    }

    /** Switches this module and its descendants to training mode. */
    public Module train() {
        return train(true);
    }

    /** Switches this module and its descendants to evaluation mode (dropout off). */
    public Module eval() {
        return train(false);
    }

    /** Sets the mode of this module and its descendants. */
    public Module train(boolean mode) {
        training = mode;
        for (Module child : children.values()) {
            child.train(mode);
        }
        return this;
    }

    public boolean isTraining() {
        return training;
    }

    /** Zeroes the gradients of all parameters (touched rows only for row-sparse ones). */
    public void zeroGrad() {
        for (Parameter p : namedParameters().values()) {
            p.zeroGrad();
        }
    }
}
