package dev.keel.nn.loss;

import java.util.List;
import java.util.Map;

/**
 * One loss of the specification ({@code docs/losses.md}) with its hyper-parameters: a value, one
 * type per loss, each in a file named after the loss that holds its parameter checks, its per-row
 * loss and gradient coefficient side by side ({@link #row}) and its vector form beside them.
 * {@link FusedLoss#of} runs a kind; {@link #parse} reads one from {@code kind[:option=value]...}.
 *
 * <p>Every kind's gradient is {@code d l_i / d z_ij = B_i (p_ij - [j = t])}: the shared row
 * pipeline ({@link LossRow}, the kernels) computes the row statistics {@code log p_t}, {@code p_t}
 * and {@code q = 1 - p_t}; a kind turns them into {@code l_i} and {@code B_i}. A binary row (one
 * logit {@code x}, {@link #binary()}) is a two-class softmax over {@code (0, x)}.
 *
 * <p>Adding a kind: its own file (a record implementing this interface, with a {@code SYNTAX}),
 * one line in {@link Registry} (and its name in {@code permits}), and its tests.
 */
public sealed interface LossKind permits CrossEntropy, WeightedCrossEntropy, GatedCrossEntropy,
        SoftGatedCrossEntropy, FocalLoss, BinaryCrossEntropy, SigmoidFocalLoss, GatedBinaryCrossEntropy {

    /** How each kind is written, in the order the documentation lists them. */
    static List<LossSyntax> kinds() {
        return Registry.KINDS;
    }

    /** Reads one {@code kind[:option=value]...}, e.g. {@code gated:m=0.7}; see {@link LossSyntax}. */
    static LossKind parse(String text) {
        return LossSyntax.parse(text, Registry.KINDS);
    }

    /** The name the specification and the golden file use, e.g. {@code "soft_gated"}. */
    String specName();

    /** True for the kinds with one logit per row and a sigmoid ({@code classes == 1}). */
    default boolean binary() {
        return false;
    }

    /** The options in effect by their short names, as written in the syntax (e.g. {@code m=0.7}). */
    Map<String, Object> options();

    /** This kind as the syntax writes it, e.g. {@code soft_gated:m=0.7:k=20}. */
    default String written() {
        return LossSyntax.written(specName(), options());
    }

    /**
     * This kind for rows of {@code classCounts.length} classes with these counts: checks what
     * depends on the classes (a margin above {@code 1/classes}, per-class lists of that length) and
     * fills defaults that depend on the counts (weighted_ce's inverse class frequency).
     *
     * @throws IllegalArgumentException naming the option and the value
     */
    default LossKind forClasses(int[] classCounts) {
        checkClasses(classCounts.length);
        return this;
    }

    /** Throws unless this kind can compute rows of {@code classes} classes (2 for the binary kinds). */
    default void checkClasses(int classes) {
    }

    /**
     * This kind without its class weights (weighted_ce's become plain cross entropy, focal's alpha
     * goes), for deferred re-weighting's first epochs; the kind itself when it has none.
     */
    default LossKind unweighted() {
        return this;
    }

    /** The margin of a gated kind, NaN for a kind without a gate. */
    default float margin() {
        return Float.NaN;
    }

    /** The per-class factor {@code w_t} of the row loss (weighted_ce's weights, focal's alpha), or null. */
    default float[] classWeights() {
        return null;
    }

    /** The factor of a binary row of target {@code y} (sigmoid_focal's {@code a_y}); 1 without one. */
    default double binaryWeight(int y) {
        return 1;
    }

    /**
     * The per-row part, in double precision: {@code l_i} and {@code B_i} into {@code row} from
     * {@code log p_t}, {@code p_t} and {@code q = 1 - p_t} (computed from the other classes, never
     * as {@code 1 - p_t}); {@code weight} is {@link #classWeights()}' {@code w_t}, or
     * {@link #binaryWeight}, or 1.
     */
    void row(LossRow row, double weight, double logPt, double pt, double q);

    /**
     * The vector form of {@link #row}: the phases that turn a block's row statistics into its
     * {@code loss} and {@code gradScale * B} ({@code binaryStatistics}: the block has binary rows'
     * statistics, with {@code log q}). Called on the vector path only: the phases touch the Vector API.
     */
    @SuppressWarnings("exports")
    VectorPhase[] vectorRow(boolean binaryStatistics);

    /**
     * The registry, in a class of its own: initializing a kind initializes this interface (it has
     * default methods), so a list here of the kinds' syntaxes would be read while they are still null.
     */
    final class Registry {
        static final List<LossSyntax> KINDS = List.of(CrossEntropy.SYNTAX, WeightedCrossEntropy.SYNTAX,
                GatedCrossEntropy.SYNTAX, SoftGatedCrossEntropy.SYNTAX, FocalLoss.SYNTAX, BinaryCrossEntropy.SYNTAX,
                SigmoidFocalLoss.SYNTAX, GatedBinaryCrossEntropy.SYNTAX);

        private Registry() {
        }
    }
}
