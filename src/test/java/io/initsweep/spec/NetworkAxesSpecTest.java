package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.sim.Dtype;
import io.initsweep.sim.InputDistribution;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The network axes (input, input_width, bias_std, dtype): parsing, grid expansion, one-line errors. */
class NetworkAxesSpecTest {
    private static SweepSpec parse(String network) {
        return SpecParser.parse(("network: " + network + "\ngrid: {init: [kaiming_normal, normal], activation: [relu, tanh],"
                + " std: [1.0, 0.5], depth: [2, 3], seed: [0, 1]}\n").getBytes(StandardCharsets.UTF_8), "axes");
    }

    private static String rejected(String network) {
        Throwable t = catchThrowable(() -> parse(network));
        assertThat(t).isExactlyInstanceOf(SpecException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    @Test
    void everyNetworkFieldIsAnAxisAndMultipliesTheGrid() {
        SweepSpec spec = parse("{width: [8, 16], batch: 30, input: [normal, uniform], input_width: [4, 8],"
                + " bias_std: [0, 0.5], dtype: [float64, float32]}");
        assertThat(spec.inputs()).containsExactly(InputChoice.drawn(InputDistribution.NORMAL),
                InputChoice.drawn(InputDistribution.UNIFORM));
        assertThat(spec.inputWidths()).containsExactly(4, 8);
        assertThat(spec.biasStds()).containsExactly(0.0, 0.5);
        assertThat(spec.dtypes()).containsExactly(Dtype.FLOAT64, Dtype.FLOAT32);
        // (kaiming_normal 1 + normal × 2 stds) × 2 activations × 2 depths × 2 seeds = 24 points per network;
        // network: 2 widths × 2 inputs × 2 input widths × 2 bias stds × 2 dtypes = 32
        assertThat(Grid.pointCount(spec)).isEqualTo(24L * 32);
        List<Chain> chains = Grid.chains(spec);
        assertThat(chains).hasSize(24 * 32 / 2);
        assertThat(chains.stream().mapToLong(c -> c.points().size()).sum()).isEqualTo(24L * 32);
        // every chain id and run id distinct: the new coordinates are part of the hash
        assertThat(chains.stream().map(Chain::chainId).distinct().count()).isEqualTo(chains.size());
        assertThat(chains.stream().flatMap(c -> c.points().stream()).map(GridPoint::runId).distinct().count())
                .isEqualTo(24L * 32);
        assertThat(chains.stream().map(c -> c.params().inputWidth()).distinct()).containsExactlyInAnyOrder(4, 8);
        assertThat(chains.stream().map(Chain::input).distinct()).containsExactly("normal", "uniform");
    }

    @Test
    void defaultsAreASquareFloat64NetworkWithoutBiasOnNormalInputs() {
        SweepSpec spec = parse("{width: 10}");
        Chain c = Grid.chains(spec).get(0);
        assertThat(c.params().inputWidth()).isEqualTo(10);
        assertThat(c.params().biasStd()).isZero();
        assertThat(c.params().dtype()).isEqualTo(Dtype.FLOAT64);
        assertThat(c.input()).isEqualTo("normal");
    }

    @Test
    void dataInputIsParsedButNotReadByTheParser() {
        SweepSpec spec = parse("{width: 10, input: [normal, {data: inputs/x.csv}]}");
        assertThat(spec.inputs().get(1)).isEqualTo(InputChoice.data("inputs/x.csv"));
        assertThat(spec.inputs().get(1).resolved()).isFalse();
        assertThat(spec.hasDataInput()).isTrue();
        assertThat(catchThrowable(() -> Grid.chains(spec))).hasMessageContaining("inputs/x.csv");
        assertThat(spec.inputs().get(1).resolve("abc", 50, 10).label()).isEqualTo("data:inputs/x.csv");
    }

    @Test
    void correlatedInputsAreAnAxisAndIndependentRowsKeepTheirIds() {
        SweepSpec one = parse("{width: 8, batch: 30, input: {normal: {correlation: 0.5}}}");
        assertThat(one.inputs()).containsExactly(InputChoice.drawn(InputDistribution.NORMAL, 0.5));
        SweepSpec axis = parse("{width: 8, batch: 30, correlation: [0, 0.5, 0.9]}");
        assertThat(axis.inputs()).extracting(InputChoice::correlation).containsExactly(0.0, 0.5, 0.9);
        assertThat(Grid.pointCount(axis)).isEqualTo(24L * 3);
        List<Chain> chains = Grid.chains(axis);
        assertThat(chains.stream().map(c -> c.params().inputCorrelation()).distinct()).containsExactly(0.0, 0.5, 0.9);
        assertThat(chains.stream().map(Chain::chainId).distinct().count()).isEqualTo(chains.size());
        // c⁰ = 0 is the plain normal input: same chains, same ids as a spec that never mentions correlation
        List<String> plain = Grid.chains(parse("{width: 8, batch: 30}")).stream().map(Chain::chainId).toList();
        assertThat(chains.stream().filter(c -> c.params().inputCorrelation() == 0.0).map(Chain::chainId).toList())
                .isEqualTo(plain);
        assertThat(chains.stream().filter(c -> c.params().inputCorrelation() == 0.5).map(Chain::chainId).toList())
                .isEqualTo(Grid.chains(one).stream().map(Chain::chainId).toList());
    }

    @Test
    void badValuesNameTheFieldTheValueAndWhatIsAllowed() {
        assertThat(rejected("{correlation: [0, 1]}")).contains("network.correlation[1]", "1", "[0, 1)");
        assertThat(rejected("{correlation: -0.1}")).contains("network.correlation", "-0.1", "[0, 1)");
        assertThat(rejected("{input: {normal: {correlation: 1.5}}}")).contains("network.input.normal.correlation", "1.5",
                "[0, 1)");
        assertThat(rejected("{input: {normal: {corr: 0.5}}}")).contains("network.input.normal.corr", "correlation");
        assertThat(rejected("{input: [normal, uniform], correlation: 0.5}")).contains("network.input[1]", "uniform",
                "normal inputs only");
        assertThat(rejected("{input: {normal: {correlation: 0.2}}, correlation: 0.5}")).contains("network.correlation",
                "keep one");
        assertThat(rejected("{bias_std: -0.1}")).contains("network.bias_std", "-0.1", ">= 0");
        assertThat(rejected("{bias_std: [0, .nan]}")).contains("network.bias_std[1]", "finite");
        assertThat(rejected("{dtype: float16}")).contains("network.dtype", "'float16'", "float64, float32");
        assertThat(rejected("{dtype: [float32, float32]}")).contains("network.dtype[1]", "repeats");
        assertThat(rejected("{input_width: 0}")).contains("network.input_width", "0", "[1, 16384]");
        assertThat(rejected("{input: data}")).contains("network.input", "data needs a file");
        assertThat(rejected("{input: {data: x.txt}}")).contains("network.input.data", "'x.txt'", ".parquet or .csv");
        assertThat(rejected("{input: {data: [a.csv]}}")).contains("network.input.data", "string");
        assertThat(rejected("{input: {uniform: {low: 0}}}")).contains("network.input.uniform", "no parameters");
        assertThat(rejected("{input: laplace}")).contains("network.input", "'laplace'", "normal, uniform");
        assertThat(rejected("{width: 10, input_width: 3000000, batch: 1000}")).contains("network.input_width");
        assertThat(rejected("{input_ width: 3}")).contains("network.input_ width", "input_width");
    }
}
