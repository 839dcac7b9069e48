package dev.keel.examples;

import java.io.IOException;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * Starts {@code keel} in a separate JVM on this test run's class path: the same main class and
 * classes as the launcher jar (which the build packages only after the tests), with its own
 * process, signals and exit status.
 */
final class ChildJvm {

    private ChildJvm() {
    }

    /** A process running {@code keel args...} with extra JVM options; stdout and stderr go to files in {@code dir}. */
    static Process keel(Path dir, List<String> jvmOptions, String... args) throws IOException {
        List<String> command = new ArrayList<>();
        command.add(Path.of(System.getProperty("java.home"), "bin", "java").toString());
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(System.getProperty("java.class.path"));
        command.add(KeelCli.class.getName());
        command.addAll(List.of(args));
        return new ProcessBuilder(command)
                .redirectOutput(dir.resolve("child.out").toFile())
                .redirectError(dir.resolve("child.err").toFile())
                .start();
    }
}
