package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.sim.Activation;
import io.initsweep.sim.Constant;
import io.initsweep.sim.Dtype;
import io.initsweep.sim.InputDistribution;
import io.initsweep.sim.KaimingNormal;
import io.initsweep.sim.KaimingUniform;
import io.initsweep.sim.Normal;
import io.initsweep.sim.Uniform;
import io.initsweep.sim.XavierNormal;
import io.initsweep.sim.Zeros;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/** What a valid spec parses to: values, defaults, axis forms, number forms, provenance hash. */
class SpecParserTest {
    private static final String EXAMPLE = """
            name: seeds
            seed: 42
            network: { width: 100, batch: 1000, input: normal }   # width and batch may also be lists
            grid:
              init: [normal, xavier_normal, kaiming_normal, {constant: {value: 0.5}}]
              activation: [sigmoid, tanh, relu, {leaky_relu: {slope: 0.2}}]
              std: [1.0, 0.01]
              depth: [5]
              seed: [0, 1, 2]
            stats: { bins: 30, saturation_threshold: 0.05, range: {relu: [0, 3]}, log_bins: 32, log_range: [-12, 4] }
            output: out/seeds
            """;

    private static final String MINIMAL = """
            grid:
              init: [kaiming_normal]
              activation: [relu]
              depth: [3]
            """;

    @TempDir
    Path dir;

    private static SweepSpec parse(String yaml) {
        return SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "default-name");
    }

    private static String sha256Hex(byte[] bytes) throws NoSuchAlgorithmException {
        return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(bytes));
    }

    @Test
    void fullSpecParsesToItsValues() {
        SweepSpec spec = parse(EXAMPLE);

        assertThat(spec.name()).isEqualTo("seeds");
        assertThat(spec.masterSeed()).isEqualTo(42L);
        assertThat(spec.widths()).containsExactly(100);
        assertThat(spec.batches()).containsExactly(1000);
        assertThat(spec.inputs()).containsExactly(InputChoice.drawn(InputDistribution.NORMAL));
        assertThat(spec.inputWidths()).isEmpty();
        assertThat(spec.biasStds()).containsExactly(0.0);
        assertThat(spec.dtypes()).containsExactly(Dtype.FLOAT64);
        assertThat(spec.inits()).containsExactly(
                InitChoice.of(Normal.SCHEME),
                InitChoice.of(XavierNormal.SCHEME),
                InitChoice.of(KaimingNormal.SCHEME),
                new InitChoice(Constant.SCHEME, java.util.Map.of("value", 0.5), false));
        assertThat(spec.activations()).containsExactly(
                new ActivationChoice(Activation.SIGMOID, Double.NaN),
                new ActivationChoice(Activation.TANH, Double.NaN),
                new ActivationChoice(Activation.RELU, Double.NaN),
                new ActivationChoice(Activation.LEAKY_RELU, 0.2));
        assertThat(spec.stds()).containsExactly(1.0, 0.01);
        assertThat(spec.depths()).containsExactly(5);
        assertThat(spec.seeds()).containsExactly(0L, 1L, 2L);

        SweepSpec.StatsOptions stats = spec.stats();
        assertThat(stats.bins()).isEqualTo(30);
        assertThat(stats.saturationThreshold()).isEqualTo(0.05);
        assertThat(stats.ranges()).containsOnlyKeys("relu");
        assertThat(stats.ranges().get("relu")).containsExactly(0.0, 3.0);
        assertThat(stats.logBins()).isEqualTo(32);
        assertThat(stats.logLo()).isEqualTo(-12.0);
        assertThat(stats.logHi()).isEqualTo(4.0);

        assertThat(spec.output()).isEqualTo("out/seeds");
        assertThat(spec.outputOrDefault()).isEqualTo("out/seeds");
        assertThat(spec.text()).isEqualTo(EXAMPLE);
    }

    @Test
    void labelsNameTheParameters() {
        SweepSpec spec = parse(EXAMPLE);
        assertThat(spec.inits()).extracting(InitChoice::label)
                .containsExactly("normal", "xavier_normal", "kaiming_normal", "constant(value=0.5)");
        assertThat(spec.activations()).extracting(ActivationChoice::label)
                .containsExactly("sigmoid", "tanh", "relu", "leaky_relu(slope=0.2)");
    }

    @Test
    void omittedFieldsTakeTheirDefaults() {
        SweepSpec spec = parse(MINIMAL);

        assertThat(spec.name()).isEqualTo("default-name");
        assertThat(spec.masterSeed()).isZero();
        assertThat(spec.widths()).containsExactly(100);
        assertThat(spec.batches()).containsExactly(1000);
        assertThat(spec.inputs()).containsExactly(InputChoice.drawn(InputDistribution.NORMAL));
        assertThat(spec.inputWidths()).isEmpty();
        assertThat(spec.biasStds()).containsExactly(0.0);
        assertThat(spec.dtypes()).containsExactly(Dtype.FLOAT64);
        assertThat(spec.seeds()).containsExactly(0L);
        assertThat(spec.stds()).as("no fixed-scale init, so no std axis is needed").isEmpty();
        assertThat(spec.stats().bins()).isEqualTo(30);
        assertThat(spec.stats().saturationThreshold()).isEqualTo(0.05);
        assertThat(spec.stats().ranges()).isEmpty();
        assertThat(spec.stats().logBins()).isEqualTo(32);
        assertThat(spec.stats().logLo()).isEqualTo(-12.0);
        assertThat(spec.stats().logHi()).isEqualTo(4.0);
        assertThat(spec.output()).isNull();
        assertThat(spec.outputOrDefault()).isEqualTo("out/default-name");
    }

    @Test
    void leakyReluWithoutParametersTakesTheDefaultSlope() {
        ActivationChoice expected = new ActivationChoice(Activation.LEAKY_RELU, 0.01);
        assertThat(parse(MINIMAL.replace("[relu]", "[leaky_relu]")).activations()).containsExactly(expected);
        assertThat(parse(MINIMAL.replace("[relu]", "[{leaky_relu: {}}]")).activations()).containsExactly(expected);
        assertThat(parse(MINIMAL.replace("[relu]", "[{leaky_relu: null}]")).activations()).containsExactly(expected);
    }

    @ParameterizedTest
    @CsvSource({"sweep.yaml, sweep", "sweep.yml, sweep", "my_sweep.v2.yaml, my_sweep.v2", "plain, plain"})
    void nameDefaultsToTheFileName(String fileName, String expectedName) throws IOException {
        Path file = dir.resolve(fileName);
        Files.writeString(file, MINIMAL);

        SweepSpec spec = SpecParser.parseFile(file);

        assertThat(spec.name()).isEqualTo(expectedName);
        assertThat(spec.outputOrDefault()).isEqualTo("out/" + expectedName);
    }

    @Test
    void anExplicitNameWinsOverTheFileName() throws IOException {
        Path file = dir.resolve("file-name.yaml");
        Files.writeString(file, "name: explicit\n" + MINIMAL);

        assertThat(SpecParser.parseFile(file).name()).isEqualTo("explicit");
    }

    @Test
    void everyAxisAcceptsAScalarOrAList() {
        SweepSpec scalars = parse("""
                network: {width: 64, batch: 32}
                grid:
                  init: normal
                  activation: {leaky_relu: {slope: 0.2}}
                  std: 0.5
                  depth: 3
                  seed: 7
                """);
        SweepSpec lists = parse("""
                network: {width: [64], batch: [32]}
                grid:
                  init: [normal]
                  activation: [{leaky_relu: {slope: 0.2}}]
                  std: [0.5]
                  depth: [3]
                  seed: [7]
                """);

        for (SweepSpec spec : List.of(scalars, lists)) {
            assertThat(spec.widths()).containsExactly(64);
            assertThat(spec.batches()).containsExactly(32);
            assertThat(spec.inits()).containsExactly(InitChoice.of(Normal.SCHEME));
            assertThat(spec.activations()).containsExactly(new ActivationChoice(Activation.LEAKY_RELU, 0.2));
            assertThat(spec.stds()).containsExactly(0.5);
            assertThat(spec.depths()).containsExactly(3);
            assertThat(spec.seeds()).containsExactly(7L);
        }
    }

    @Test
    void widthAndBatchMayBeLists() {
        SweepSpec spec = parse("network: {width: [16, 64, 256], batch: [10, 1000]}\n" + MINIMAL);
        assertThat(spec.widths()).containsExactly(16, 64, 256);
        assertThat(spec.batches()).containsExactly(10, 1000);
    }

    @Test
    void axesKeepTheSpecsOrder() {
        SweepSpec spec = parse("""
                grid:
                  init: [kaiming_uniform, zeros, uniform]
                  activation: [tanh, sigmoid]
                  std: [0.1, 2.0, 1.0]
                  depth: [10, 2, 5]
                  seed: [3, -1, 2]
                """);
        assertThat(spec.inits()).extracting(InitChoice::scheme).containsExactly(KaimingUniform.SCHEME, Zeros.SCHEME, Uniform.SCHEME);
        assertThat(spec.activations()).extracting(ActivationChoice::activation)
                .containsExactly(Activation.TANH, Activation.SIGMOID);
        assertThat(spec.stds()).containsExactly(0.1, 2.0, 1.0);
        assertThat(spec.depths()).containsExactly(10, 2, 5);
        assertThat(spec.seeds()).containsExactly(3L, -1L, 2L);
    }

    @Test
    void numbersMayUseExponentsWithOrWithoutADecimalPoint() {
        SweepSpec spec = parse("""
                grid:
                  init: [normal, {constant: {value: -1e-1}}]
                  activation: [{leaky_relu: {slope: 2e-1}}]
                  std: [1e-2, 1.5E+1, 2e0, 3.0e-3, .5]
                  depth: [1]
                stats: {saturation_threshold: 5e-2, range: {leaky_relu: [-1e1, 1E1]}, log_range: [-1.2e1, 4e0]}
                """);

        assertThat(spec.stds()).containsExactly(0.01, 15.0, 2.0, 0.003, 0.5);
        assertThat(spec.inits().get(1).given().get("value")).isEqualTo(-0.1);
        assertThat(spec.activations().get(0).param()).isEqualTo(0.2);
        assertThat(spec.stats().saturationThreshold()).isEqualTo(0.05);
        assertThat(spec.stats().ranges().get("leaky_relu")).containsExactly(-10.0, 10.0);
        assertThat(spec.stats().logLo()).isEqualTo(-12.0);
        assertThat(spec.stats().logHi()).isEqualTo(4.0);
    }

    @Test
    void seedsCoverTheWholeLongRange() {
        SweepSpec spec = parse("seed: -9223372036854775808\n"
                + MINIMAL.replace("depth: [3]", "depth: [3]\n  seed: [9223372036854775807, -5]"));
        assertThat(spec.masterSeed()).isEqualTo(Long.MIN_VALUE);
        assertThat(spec.seeds()).containsExactly(Long.MAX_VALUE, -5L);
    }

    @Test
    void fanBasedInitsNeedNoStdAxisButMayHaveOne() {
        assertThat(parse(MINIMAL).stds()).isEmpty();
        assertThat(parse(MINIMAL.replace("depth: [3]", "depth: [3]\n  std: [0.5]")).stds()).containsExactly(0.5);
    }

    @Test
    void sha256IsTakenOverTheVerbatimBytes() throws NoSuchAlgorithmException {
        // CRLF line ends, comments and odd spacing must survive into the hash and the text
        String text = "# a comment\r\nname:   crlf   \r\n" + MINIMAL.replace("\n", "\r\n") + "# trailing comment, é\r\n";
        byte[] bytes = text.getBytes(StandardCharsets.UTF_8);

        SweepSpec spec = SpecParser.parse(bytes, "x");

        assertThat(spec.sha256()).isEqualTo(sha256Hex(bytes)).hasSize(64).matches("[0-9a-f]{64}");
        assertThat(spec.text()).isEqualTo(text);
    }

    @Test
    void sha256ChangesWithAnyByteEvenAComment() {
        SweepSpec a = parse(MINIMAL);
        SweepSpec b = parse(MINIMAL + "# note\n");
        assertThat(b.sha256()).isNotEqualTo(a.sha256());
        assertThat(b.inits()).isEqualTo(a.inits());
    }

    @Test
    void parseFileHashesTheFileBytes() throws IOException, NoSuchAlgorithmException {
        Path file = dir.resolve("hashed.yaml");
        byte[] bytes = EXAMPLE.getBytes(StandardCharsets.UTF_8);
        Files.write(file, bytes);

        SweepSpec spec = SpecParser.parseFile(file);

        assertThat(spec.sha256()).isEqualTo(sha256Hex(bytes));
        assertThat(spec.text()).isEqualTo(EXAMPLE);
    }

    @Test
    void parsingIsDeterministic() {
        SweepSpec a = parse(EXAMPLE);
        SweepSpec b = parse(EXAMPLE);
        assertThat(b).usingRecursiveComparison().withEqualsForType(Double::equals, Double.class).isEqualTo(a);
    }
}
