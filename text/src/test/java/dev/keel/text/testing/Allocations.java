package dev.keel.text.testing;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread, from HotSpot's {@code com.sun.management.ThreadMXBean},
 * reached reflectively because the {@code dev.keel.text} module (which the tests are compiled
 * into) does not read {@code jdk.management}. (The same helper as nn's tests: modules share no
 * test code.)
 */
public final class Allocations {

    private static final Object BEAN;
    private static final Method ALLOCATED;

    static {
        Object bean = null;
        Method allocated = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            if (hotspot.isInstance(bean)
                    && (Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                allocated = hotspot.getMethod("getCurrentThreadAllocatedBytes");
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            allocated = null;
        }
        BEAN = bean;
        ALLOCATED = allocated;
    }

    private Allocations() {
    }

    public static boolean supported() {
        return ALLOCATED != null;
    }

    /** Bytes this thread has allocated so far (0 where the JVM cannot tell). */
    public static long currentThreadAllocatedBytes() {
        if (ALLOCATED == null) {
            return 0;
        }
        try {
            return (Long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
