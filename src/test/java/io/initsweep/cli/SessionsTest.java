package io.initsweep.cli;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.RandomAccessFile;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.apache.spark.SparkConf;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Which settings a command's new session gets for the sweeps it reads. */
class SessionsTest {
    @TempDir
    Path dir;

    @Test
    void tinySweepsAreQueriedWithoutCodeGeneration() throws Exception {
        Path out = Files.createDirectories(dir.resolve("small/layers"));
        Files.write(out.resolve("part-0.parquet"), new byte[100_000]);
        assertThat(Sessions.tinyTableSettings(List.of(dir.resolve("small").toString()), new SparkConf(false)))
                .containsExactly("spark.sql.codegen.wholeStage=false", "spark.sql.codegen.factoryMode=NO_CODEGEN");
    }

    @Test
    void sweepsAboveTheBoundKeepCodeGenerationCountingEveryOutput() throws Exception {
        // two outputs of 9 MiB (sparse files): each under the 16 MiB bound, together above it
        Path a = Files.createDirectories(dir.resolve("a/layers"));
        Path b = Files.createDirectories(dir.resolve("b/layers"));
        for (Path f : List.of(a.resolve("part-0.parquet"), b.resolve("part-0.parquet"))) {
            try (RandomAccessFile r = new RandomAccessFile(f.toFile(), "rw")) {
                r.setLength(9L << 20);
            }
        }
        SparkConf none = new SparkConf(false);
        assertThat(Sessions.tinyTableSettings(List.of(dir.resolve("a").toString()), none)).hasSize(2);
        assertThat(Sessions.tinyTableSettings(List.of(dir.resolve("a").toString(), dir.resolve("b").toString()), none))
                .isEmpty();
    }

    @Test
    void settingsFromSparkSubmitWinAndUnreadableOutputsKeepTheDefaults() throws Exception {
        Files.createDirectories(dir.resolve("s/runs"));
        SparkConf submit = new SparkConf(false).set("spark.sql.codegen.wholeStage", "true");
        assertThat(Sessions.tinyTableSettings(List.of(dir.resolve("s").toString()), submit))
                .containsExactly("spark.sql.codegen.factoryMode=NO_CODEGEN");
        assertThat(Sessions.tinyTableSettings(List.of(dir.resolve("missing").toString()), new SparkConf(false))).isEmpty();
        assertThat(Sessions.tinyTableSettings(List.of(), new SparkConf(false))).isEmpty();
    }
}
