package dev.keel.nn.testing;

import java.lang.reflect.Method;

/**
 * Bytes allocated by the current thread, from HotSpot's {@code com.sun.management.ThreadMXBean}.
 * Reached reflectively: test classes compile inside the {@code dev.keel.nn} module, which does
 * not (and should not) read {@code jdk.management}.
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

    public static long currentThreadAllocatedBytes() {
        try {
            return (Long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
