package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * The committed documentation is what the registries say: {@code docs/schemes.md} and
 * {@code docs/schemes.csv} equal {@code initsweep catalogue --markdown} and {@code --csv}, and
 * {@code jobs/catalogue.yaml} equals {@code --yaml} and holds every scheme. Regenerate with
 * {@code bin/initsweep catalogue --markdown > docs/schemes.md} (and {@code --csv}, {@code --yaml}).
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

    @Test
    void catalogueSpecIsGeneratedFromTheRegistries() throws IOException {
        assertThat(read("jobs", "catalogue.yaml"))
                .as("jobs/catalogue.yaml is stale: bin/initsweep catalogue --yaml > jobs/catalogue.yaml")
                .isEqualTo(SchemeDocs.catalogueYaml());
    }

    /** The catalogue sweep exercises every scheme end to end (CatalogueRunTest runs it): its spec parses to all of them. */
    @Test
    void catalogueSpecHasEveryScheme() {
        SweepSpec spec = SpecParser.parse(SchemeDocs.catalogueYaml().getBytes(StandardCharsets.UTF_8), "catalogue");
        assertThat(spec.inits().stream().map(c -> c.scheme().id()).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(Initializer.values().stream().map(InitScheme::id).toList());
        assertThat(spec.activations().stream().map(c -> c.activation().id()).distinct().toList())
                .containsExactlyInAnyOrderElementsOf(Arrays.stream(Activation.values()).map(Activation::id).toList());
    }
}
