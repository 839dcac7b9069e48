package dev.keel.nn.autograd;

/**
 * A scope in which operations record no graph, as PyTorch's {@code torch.no_grad()}: results
 * are plain constants, so inference costs no memory for backward rules.
 *
 * <pre>{@code
 * try (NoGrad ignored = NoGrad.enter()) {
 *     Value logits = model.forward(x);   // no graph, no gradients
 * }
 * }</pre>
 *
 * The mode is per thread and scopes nest: closing one restores what was in force before it.
 */
public final class NoGrad implements AutoCloseable {

    private static final ThreadLocal<boolean[]> DISABLED = ThreadLocal.withInitial(() -> new boolean[1]);

    private final boolean previouslyDisabled;
    private boolean closed;

    private NoGrad(boolean previouslyDisabled) {
        this.previouslyDisabled = previouslyDisabled;
    }

    /** Turns graph recording off on this thread until {@link #close()}. */
    public static NoGrad enter() {
        boolean[] flag = DISABLED.get();
        NoGrad scope = new NoGrad(flag[0]);
        flag[0] = true;
        return scope;
    }

    /** True when operations on this thread record a graph (outside any {@code NoGrad} scope). */
    public static boolean isGradEnabled() {
        return !DISABLED.get()[0];
    }

    @Override
    public void close() {
        if (!closed) {
            closed = true;
            DISABLED.get()[0] = previouslyDisabled;
        }
    }
}
