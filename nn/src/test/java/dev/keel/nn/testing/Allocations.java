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
    private static final Method ALLOCATED_BY_ID;

    static {
        Object bean = null;
        Method allocated = null;
        Method allocatedById = null;
        try {
            bean = Class.forName("java.lang.management.ManagementFactory").getMethod("getThreadMXBean").invoke(null);
            Class<?> hotspot = Class.forName("com.sun.management.ThreadMXBean");
            if (hotspot.isInstance(bean)
                    && (Boolean) hotspot.getMethod("isThreadAllocatedMemorySupported").invoke(bean)) {
                allocated = hotspot.getMethod("getCurrentThreadAllocatedBytes");
                allocatedById = hotspot.getMethod("getThreadAllocatedBytes", long.class);
            }
        } catch (ReflectiveOperationException | RuntimeException e) {
            allocated = null;
        }
        BEAN = bean;
        ALLOCATED = allocated;
        ALLOCATED_BY_ID = allocatedById;
    }

    private Allocations() {
    }

    public static boolean supported() {
        return ALLOCATED != null;
    }

    /** Live threads whose name starts with {@code prefix} (e.g. a worker pool's). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static long[] threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix))
                .mapToLong(Thread::getId).sorted().toArray();
    }

    /** Bytes allocated so far by the threads {@code ids}, summed. */
    public static long allocatedBytes(long[] ids) {
        long sum = 0;
        try {
            for (long id : ids) {
                sum += (Long) ALLOCATED_BY_ID.invoke(BEAN, id);
            }
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
        return sum;
    }

    public static long currentThreadAllocatedBytes() {
        try {
            return (Long) ALLOCATED.invoke(BEAN);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
