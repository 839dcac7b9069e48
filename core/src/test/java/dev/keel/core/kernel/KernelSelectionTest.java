package dev.keel.core.kernel;

import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.lang.invoke.MethodHandles;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

/**
 * How {@link Kernels} chooses the path. This JVM shows one configuration; the three that matter
 * (module present, module present but {@code -Dkeel.simd=false}, module absent) are each checked in
 * a child JVM, so every surefire execution covers all of them.
 */
class KernelSelectionTest {

    @Test
    void thisJvmFollowsTheSwitchAndTheModule() {
        boolean forcedScalar = "false".equals(System.getProperty(Kernels.SIMD_PROPERTY));
        boolean moduleThere = ModuleLayer.boot().findModule("jdk.incubator.vector").isPresent();
        String describe = Kernels.describe();
        assertTrue(describe.startsWith("keel kernels: "), describe);
        if (forcedScalar || !moduleThere) {
            assertFalse(Kernels.simdActive(), describe);
            assertEquals("scalar", Kernels.active().name());
            assertTrue(describe.contains("scalar path ("), describe);
        } else {
            assertTrue(Kernels.simdActive(), describe);
            assertEquals(Kernels.vector().orElseThrow(), Kernels.active());
            assertTrue(describe.contains(Kernels.active().floatLanes() + " float lanes"), describe);
        }
        assertEquals(moduleThere, Kernels.vector().isPresent(), describe);
    }

    @Test
    void childJvmsChooseThePathForEachConfiguration() throws Exception {
        String withModule = run("--add-modules", "jdk.incubator.vector");
        assertTrue(withModule.startsWith("vector true keel kernels: vector path, "), withModule);

        String switchedOff = run("--add-modules", "jdk.incubator.vector", "-D" + Kernels.SIMD_PROPERTY + "=false");
        assertEquals("scalar true keel kernels: scalar path (-Dkeel.simd=false)", switchedOff);

        String noModule = run();
        assertTrue(noModule.startsWith("scalar false keel kernels: scalar path (jdk.incubator.vector is not in the module graph"),
                noModule);
    }

    @Test
    void optionalVectorClassesThatFailToLoadMeanEmptyNotACrash() {
        MethodHandles.Lookup lookup = MethodHandles.lookup();
        assertTrue(Kernels.loadVectorImplementation(lookup, "dev.keel.core.kernel.NoSuchClass", Runnable.class).isEmpty());
        assertTrue(Kernels.loadVectorImplementation(lookup, ThrowingConstructor.class.getName(), Runnable.class).isEmpty());
        assertTrue(Kernels.loadVectorImplementation(lookup, WrongType.class.getName(), Runnable.class).isEmpty());
        // A loadable class: present exactly when the vector path is active.
        assertEquals(Kernels.simdActive(),
                Kernels.loadVectorImplementation(lookup, Loadable.class.getName(), Runnable.class).isPresent());
    }

    static final class ThrowingConstructor implements Runnable {
        ThrowingConstructor() {
            throw new UnsupportedOperationException("no vectors here");
        }

        @Override
        public void run() {
        }
    }

    static final class WrongType {
    }

    static final class Loadable implements Runnable {
        @Override
        public void run() {
        }
    }

    /** Prints what a fresh JVM with these options chose: path name, vector presence, describe(). */
    public static void main(String[] args) {
        System.out.print(Kernels.active().name() + " " + Kernels.vector().isPresent() + " " + Kernels.describe());
    }

    private static String run(String... jvmOptions) throws IOException, InterruptedException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-Xshare:auto", "-XX:TieredStopAtLevel=1", "-cp", System.getProperty("java.class.path"),
                KernelSelectionTest.class.getName()));
        Process process = new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8).trim();
        assertTrue(process.waitFor(60, TimeUnit.SECONDS), "child JVM did not finish: " + command);
        assertEquals(0, process.exitValue(), "child JVM failed: " + command + " printed " + out);
        return out;
    }
}
