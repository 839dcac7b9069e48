package dev.keel.core.testing;

import java.lang.reflect.Method;

/**
 * Bytes allocated by threads, from HotSpot's {@code com.sun.management.ThreadMXBean}. Reached
 * reflectively: test classes compile inside the module under test ({@code dev.keel.core},
 * {@code dev.keel.nn}, {@code dev.keel.text}), none of which reads {@code jdk.management}.
 * Shared with nn's and text's tests through core's test-jar (see core/pom.xml).
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
            allocatedById = null;
        }
        BEAN = bean;
        ALLOCATED = allocated;
        ALLOCATED_BY_ID = allocatedById;
    }

    private Allocations() {
    }

    /** Whether the JVM counts allocations per thread; where it does not, the counts below are 0. */
    public static boolean supported() {
        return ALLOCATED != null;
    }

    /** Live threads whose name starts with {@code prefix} (e.g. a worker pool's). */
    @SuppressWarnings("deprecation") // Thread.getId: threadId() is JDK 19+
    public static long[] threadsNamed(String prefix) {
        return Thread.getAllStackTraces().keySet().stream().filter(t -> t.getName().startsWith(prefix))
                .mapToLong(Thread::getId).sorted().toArray();
    }

    /** Bytes allocated so far by the threads {@code ids}, summed (0 where the JVM cannot tell). */
    public static long allocatedBytes(long[] ids) {
        if (ALLOCATED_BY_ID == null) {
            return 0;
        }
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
