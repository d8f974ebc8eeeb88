package io.initsweep.tables;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The column list of docs/schema.md names every column the tables have, so it cannot fall behind. */
class SchemaDocsTest {
    @Test
    void everyColumnIsDocumented() throws IOException {
        String doc = Files.readString(Path.of(System.getProperty("user.dir"), "docs", "schema.md"));
        int from = doc.indexOf("\n## Columns\n");
        int to = doc.indexOf("\n## manifest.json\n");
        assertThat(from).as("docs/schema.md has a Columns section before its manifest.json section").isPositive()
                .isLessThan(to);
        String section = doc.substring(from, to);
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
