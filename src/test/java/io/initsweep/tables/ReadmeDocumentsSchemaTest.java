package io.initsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The README's schema section names every column the tables have, so it cannot fall behind. */
class ReadmeDocumentsSchemaTest {
    @Test
    void everyColumnIsDocumented() throws IOException {
        String readme = Files.readString(Path.of(System.getProperty("user.dir"), "README.md"));
        String section = readme.substring(readme.indexOf("### Columns"), readme.indexOf("### manifest.json"));
        List<String> missing = new ArrayList<>();
        for (String column : Schema.LAYERS.keySet()) {
            if (!section.contains("`" + column + "`")) {
                missing.add("layers." + column);
            }
        }
        for (String column : Schema.RUNS.keySet()) {
            if (!section.contains("`" + column + "`")) {
                missing.add("runs." + column);
            }
        }
        assertThat(missing).isEmpty();
    }
}
