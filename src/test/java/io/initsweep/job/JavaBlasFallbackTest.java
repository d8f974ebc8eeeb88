package io.initsweep.job;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.cli.Main;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.ForwardPass;
import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.io.IOException;
import java.io.PrintWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.parquet.example.data.Group;
import org.apache.parquet.hadoop.ParquetReader;
import org.apache.parquet.hadoop.example.GroupReadSupport;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Without native BLAS the job still runs, on netlib's Java BLAS, warns once, and its numbers
 * agree with the native run to rounding. The fallback is asked for in a child JVM
 * ({@code -Dinitsweep.blas=java}).
 */
class JavaBlasFallbackTest {
    /** Relative agreement of two BLAS implementations summing in different orders over 5 layers. */
    private static final double TOLERANCE = 1e-9;

    static final String SPEC = """
            name: fallback
            network: {width: 24, batch: 50}
            grid: {init: [xavier_normal, kaiming_normal], activation: [tanh, relu], depth: [4], seed: [0, 1]}
            """;

    /** The child: runs the CLI in local[1] into args[1]. */
    public static void main(String[] args) {
        System.exit(Main.execute(new PrintWriter(System.out, true), new PrintWriter(System.err, true),
                "run", args[0], "--out", args[1], "--master", "local[1]"));
    }

    @TempDir
    Path dir;

    @Test
    void javaFallbackRunsWarnsOnceAndAgreesWithNative() throws Exception {
        Path spec = Files.writeString(dir.resolve("fallback.yaml"), SPEC);
        Path out = dir.resolve("out");
        List<String> cmd = DriverProcess.java();
        cmd.add("-Xmx1g");
        cmd.add("-Dinitsweep.blas=java");
        cmd.add("-Djava.io.tmpdir=" + dir);
        cmd.add("-cp");
        cmd.add(System.getProperty("java.class.path"));
        cmd.add(JavaBlasFallbackTest.class.getName());
        cmd.add(spec.toString());
        cmd.add(out.toString());
        Path log = dir.resolve("child.log");
        Process p = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(log.toFile()).start();
        assertThat(io.initsweep.TimeLimits.waitFor(p, 300)).isTrue();
        String output = Files.readString(log);
        assertThat(p.exitValue()).as(output).isZero();

        assertThat(output.lines().filter(l -> l.contains("used the Java fallback"))).hasSize(1);
        String manifest = Files.readString(out.resolve("manifest.json"));
        assertThat(manifest).doesNotContain("JNIBLAS").containsPattern("\"blas\" : \\[ \"executor driver: Java BLAS \\(\\w+BLAS\\)\" \\]");

        SweepSpec parsed = SpecParser.parse(SPEC.getBytes(StandardCharsets.UTF_8), "fallback");
        Map<String, Chain> chains = new HashMap<>();
        Grid.chains(parsed).forEach(c -> chains.put(c.chainId(), c));
        ForwardPass pass = new ForwardPass();
        int rows = 0;
        for (Path f : parquetFiles(out.resolve("layers"))) {
            try (ParquetReader<Group> r = ParquetReader.builder(new GroupReadSupport(), new org.apache.hadoop.fs.Path(f.toUri())).build()) {
                for (Group g = r.read(); g != null; g = r.read()) {
                    ChainResult expected = pass.run(chains.get(g.getString("chain_id", 0)).params());
                    int l = g.getInteger("layer", 0) - 1;
                    assertThat(g.getDouble("act_std", 0)).isCloseTo(expected.actStd[l], within(TOLERANCE * expected.actStd[l]));
                    assertThat(g.getDouble("pre_sq_mean", 0)).isCloseTo(expected.preSqMean[l], within(TOLERANCE * expected.preSqMean[l]));
                    rows++;
                }
            }
        }
        assertThat(rows).isEqualTo(2 * 2 * 2 * 4);
    }

    private static List<Path> parquetFiles(Path root) throws IOException {
        try (var s = Files.walk(root)) {
            return s.filter(p -> p.toString().endsWith(".parquet")).toList();
        }
    }
}
