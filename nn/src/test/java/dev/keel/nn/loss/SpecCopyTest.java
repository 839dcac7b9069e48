package dev.keel.nn.loss;

import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

import static org.junit.jupiter.api.Assertions.assertEquals;

/** docs/losses.md is the shared loss specification, word for word, under a two-line note. */
class SpecCopyTest {

    @Test
    void docsCopyOfTheLossSpecificationIsInStep() throws IOException {
        Path repo = Path.of(System.getProperty("user.dir")).toAbsolutePath().getParent(); // nn's parent
        Path shared = repo.resolveSibling("shared").resolve("spec/losses.md");
        Assumptions.assumeTrue(Files.exists(shared), "no ../shared/spec/losses.md beside the checkout");
        String copy = Files.readString(repo.resolve("docs/losses.md"));
        String body = copy.substring(copy.indexOf("-->\n") + 4);
        assertEquals(Files.readString(shared), body, "docs/losses.md differs from " + shared);
    }
}
