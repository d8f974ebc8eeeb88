package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The committed documentation is what the registries say: {@code docs/schemes.md} and
 * {@code docs/schemes.csv} equal {@code initsweep catalogue --markdown} and {@code --csv}, and
 * {@code jobs/catalogue.yaml} names every scheme. Regenerate with
 * {@code bin/initsweep catalogue --markdown > docs/schemes.md} (and {@code --csv}).
 */
class SchemeDocsTest {
    private static final Path ROOT = Path.of(System.getProperty("user.dir"));

    private static String read(String first, String... more) throws IOException {
        return Files.readString(ROOT.resolve(Path.of(first, more)), StandardCharsets.UTF_8);
    }

    @Test
    void schemesMarkdownIsGeneratedFromTheRegistries() throws IOException {
        assertThat(read("docs", "schemes.md"))
                .as("docs/schemes.md is stale: bin/initsweep catalogue --markdown > docs/schemes.md")
                .isEqualTo(SchemeDocs.markdown());
    }

    @Test
    void schemesCsvIsGeneratedFromTheRegistries() throws IOException {
        assertThat(read("docs", "schemes.csv"))
                .as("docs/schemes.csv is stale: bin/initsweep catalogue --csv > docs/schemes.csv")
                .isEqualTo(SchemeDocs.csv());
    }

    @Test
    void everyRegisteredSchemeIsInTheTables() {
        String md = SchemeDocs.markdown();
        for (Activation act : Activation.values()) {
            assertThat(md).contains("| `" + act.id() + "` |");
        }
        for (InitScheme init : Initializer.values()) {
            assertThat(md).contains("| `" + init.id() + "` |");
        }
    }

    /** The catalogue sweep exercises every scheme end to end (CatalogueRunTest runs it). */
    @Test
    void catalogueSpecNamesEveryScheme() throws IOException {
        String yaml = read("jobs", "catalogue.yaml");
        List<String> missing = new ArrayList<>();
        for (Activation act : Activation.values()) {
            if (!yaml.matches("(?s).*[\\[{ ,]" + act.id() + "[\\]}:, \\n].*")) {
                missing.add(act.id());
            }
        }
        for (InitScheme init : Initializer.values()) {
            if (!yaml.matches("(?s).*[\\[{ ]" + init.id() + "[\\]}:, \\n].*")) {
                missing.add(init.id());
            }
        }
        assertThat(missing).as("schemes jobs/catalogue.yaml does not name").isEmpty();
    }
}
