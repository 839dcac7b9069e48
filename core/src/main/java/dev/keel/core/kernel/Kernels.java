package dev.keel.core.kernel;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.Optional;

/**
 * Chooses the kernel path once per JVM, as Lucene's {@code VectorizationProvider} does.
 *
 * <p>The Vector API implementation is loaded reflectively, and only after checking that the
 * {@code jdk.incubator.vector} module is present and readable by keel: a class that touches the
 * API cannot even be loaded without it. Anything that goes wrong on the way (no module system, no
 * module, a {@link LinkageError}, a JIT that would not compile vector code) means the scalar path,
 * never a failure. {@code -Dkeel.simd=false} forces the scalar path.
 *
 * <p>Other modules with optional SIMD code (the loss kernels in {@code nn}) load their vector
 * classes through {@link #loadVectorImplementation} so that there is one rule for all of them.
 */
public final class Kernels {

    /** The system property that, set to {@code false}, forces the scalar path. */
    public static final String SIMD_PROPERTY = "keel.simd";

    private static final String VECTOR_MODULE = "jdk.incubator.vector";
    private static final String VECTOR_KERNELS_CLASS = "dev.keel.core.kernel.VectorFloatKernels";

    private static final String UNAVAILABLE_REASON;
    private static final FloatKernels VECTOR;
    private static final FloatKernels ACTIVE;

    static {
        String reason = vectorUnavailableReason();
        FloatKernels vector = null;
        if (reason == null) {
            try {
                vector = instantiate(VECTOR_KERNELS_CLASS, FloatKernels.class);
            } catch (Throwable t) { // LinkageError, ReflectiveOperationException, or the class's own check
                reason = "the vector kernels failed to load: " + t;
            }
        }
        UNAVAILABLE_REASON = reason;
        VECTOR = vector;
        ACTIVE = vector != null && simdAllowed() ? vector : ScalarFloatKernels.INSTANCE;
        System.getLogger("dev.keel.core.kernel").log(System.Logger.Level.INFO, describe());
    }

    private Kernels() {
    }

    /** The kernels every tensor operation uses: the vector path where available, else scalar. */
    public static FloatKernels active() {
        return ACTIVE;
    }

    /** The scalar kernels, always available (tests and benchmarks compare against them). */
    public static FloatKernels scalar() {
        return ScalarFloatKernels.INSTANCE;
    }

    /**
     * The vector kernels if this JVM can run them, even when {@code -Dkeel.simd=false} made the
     * scalar path active (so both paths can be compared in one JVM).
     */
    public static Optional<FloatKernels> vector() {
        return Optional.ofNullable(VECTOR);
    }

    /** True when the active path is the Vector API one. */
    public static boolean simdActive() {
        return ACTIVE != ScalarFloatKernels.INSTANCE;
    }

    /** One line saying which path is active and why, e.g. for {@code keel --version}. */
    public static String describe() {
        if (simdActive()) {
            return "keel kernels: vector path, " + ACTIVE.floatLanes() + " float lanes ("
                    + ACTIVE.floatLanes() * Float.SIZE + "-bit)";
        }
        String why = !simdAllowed() && VECTOR != null ? "-D" + SIMD_PROPERTY + "=false" : UNAVAILABLE_REASON;
        return "keel kernels: scalar path (" + why + ")";
    }

    /**
     * Loads and instantiates {@code className} (a class with a public or package-visible no-arg
     * constructor, or a static {@code create()} method) if the vector path may be used; otherwise, or
     * if loading fails for any reason, returns empty. Callers fall back to their scalar class.
     *
     * @param lookup a lookup with access to {@code className}, from the caller's module
     */
    public static <T> Optional<T> loadVectorImplementation(MethodHandles.Lookup lookup, String className,
                                                           Class<T> type) {
        if (VECTOR == null || !simdAllowed()) {
            return Optional.empty();
        }
        try {
            Class<?> cls = Class.forName(className, true, lookup.lookupClass().getClassLoader());
            Object instance = lookup.findConstructor(cls, MethodType.methodType(void.class)).invoke();
            return Optional.of(type.cast(instance));
        } catch (Throwable t) {
            System.getLogger("dev.keel.core.kernel").log(System.Logger.Level.WARNING,
                    "keel: " + className + " failed to load, using the scalar path: " + t);
            return Optional.empty();
        }
    }

    private static boolean simdAllowed() {
        try {
            return !"false".equalsIgnoreCase(System.getProperty(SIMD_PROPERTY, "true").trim());
        } catch (SecurityException e) {
            return true;
        }
    }

    /** Null when the Vector API can be used here, else a short reason. Never throws. */
    private static String vectorUnavailableReason() {
        try {
            Optional<Module> module = ModuleLayer.boot().findModule(VECTOR_MODULE);
            if (module.isEmpty()) {
                return VECTOR_MODULE + " is not in the module graph (add --add-modules " + VECTOR_MODULE + ")";
            }
            if (!Kernels.class.getModule().canRead(module.get())) {
                return VECTOR_MODULE + " is not readable by " + Kernels.class.getModule();
            }
            return null;
        } catch (Throwable t) { // a runtime without the module system
            return "module lookup failed: " + t;
        }
    }

    private static <T> T instantiate(String className, Class<T> type) throws Throwable {
        Class<?> cls = Class.forName(className, true, Kernels.class.getClassLoader());
        Object instance = MethodHandles.lookup().findConstructor(cls, MethodType.methodType(void.class)).invoke();
        return type.cast(instance);
    }
}
