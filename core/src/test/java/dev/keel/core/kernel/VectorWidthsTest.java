package dev.keel.core.kernel;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.platform.launcher.LauncherDiscoveryRequest;
import org.junit.platform.launcher.core.LauncherDiscoveryRequestBuilder;
import org.junit.platform.launcher.core.LauncherFactory;
import org.junit.platform.launcher.listeners.SummaryGeneratingListener;
import org.junit.platform.launcher.listeners.TestExecutionSummary;

import java.io.PrintWriter;
import java.io.StringWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.platform.engine.discovery.DiscoverySelectors.selectClass;

/**
 * The vector kernels' tails, tiles and reductions depend on the lane count, which is fixed per
 * machine. This reruns the kernel tests in child JVMs limited to 128-bit and 256-bit vectors
 * ({@code -XX:MaxVectorSize}), so a 512-bit machine also checks what AVX2 and NEON machines run.
 * Only in the execution that has the vector path, and only on x86-64 where the flag is known.
 */
class VectorWidthsTest {

    @Test
    void kernelTestsPassAtNarrowerVectorWidths() throws Exception {
        Assumptions.assumeTrue(Kernels.vector().isPresent(), "no vector path in this JVM");
        String arch = System.getProperty("os.arch");
        Assumptions.assumeTrue(arch.equals("amd64") || arch.equals("x86_64"), "MaxVectorSize is checked on x86-64 only");
        int nativeBits = Kernels.vector().get().floatLanes() * Float.SIZE;
        for (int bytes : new int[] {16, 32}) {
            if (bytes * 8 >= nativeBits) {
                continue;
            }
            String out = runChild("-XX:MaxVectorSize=" + bytes);
            assertTrue(out.contains("keel kernels: vector path, " + bytes / 4 + " float lanes"), out);
            assertTrue(out.contains(" 0 tests failed"), out);
        }
    }

    /** Child entry point: runs the kernel test classes and prints the summary and the active path. */
    public static void main(String[] args) {
        LauncherDiscoveryRequest request = LauncherDiscoveryRequestBuilder.request()
                .selectors(selectClass(GemmTest.class), selectClass(FloatKernelsTest.class), selectClass(FloatExpTest.class))
                .build();
        SummaryGeneratingListener listener = new SummaryGeneratingListener();
        LauncherFactory.create().execute(request, listener);
        TestExecutionSummary summary = listener.getSummary();
        StringWriter text = new StringWriter();
        summary.printTo(new PrintWriter(text));
        summary.printFailuresTo(new PrintWriter(text), 10);
        System.out.println(Kernels.describe());
        System.out.println(summary.getTestsSucceededCount() + " tests successful, " + summary.getTotalFailureCount()
                + " tests failed");
        System.out.println(text);
    }

    private static String runChild(String vmOption) throws Exception {
        List<String> command = List.of(Path.of(System.getProperty("java.home"), "bin", "java").toString(),
                "--add-modules", "jdk.incubator.vector", vmOption, "-cp", System.getProperty("java.class.path"),
                VectorWidthsTest.class.getName());
        Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
        String out = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(120, TimeUnit.SECONDS), "child JVM did not finish: " + command);
        assertEquals(0, process.exitValue(), "child JVM failed: " + command + "\n" + out);
        return out;
    }
}
