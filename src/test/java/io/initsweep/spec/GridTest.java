package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import io.initsweep.sim.Activation;
import io.initsweep.sim.ChainParams;
import io.initsweep.sim.HistogramSpec;
import io.initsweep.sim.InitScheme;
import io.initsweep.sim.InputDistribution;
import io.initsweep.sim.Normal;
import io.initsweep.sim.StatsConfig;
import io.initsweep.sim.Uniform;
import java.nio.charset.StandardCharsets;
import java.util.Collections;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

/** Grid expansion: point counts, chains, ids, effective weight scales, statistics options. */
class GridTest {
    /** Relative tolerance for closed-form weight scales (a few ulps). */
    private static final double TOLERANCE = 1e-15;

    private static SweepSpec parse(String yaml) {
        return SpecParser.parse(yaml.getBytes(StandardCharsets.UTF_8), "grid-test");
    }

    /** Coordinates of a point other than its ids. */
    private record Coordinates(InitChoice init, ActivationChoice activation, Double initStd, int depth, long seed,
            int width, int batch) {
        static Coordinates of(GridPoint p) {
            return new Coordinates(p.init(), p.activation(), p.initStd(), p.depth(), p.seed(), p.width(), p.batch());
        }
    }

    @Test
    void fixedScaleInitsCrossTheStdAxisAndFanBasedOnesDoNot() {
        SweepSpec spec = parse("""
                grid:
                  init: [normal, xavier_normal, kaiming_normal]
                  activation: [sigmoid, tanh, relu]
                  std: [1.0, 0.01]
                  depth: [5]
                  seed: [0, 1, 2]
                """);
        long expected = (2 + 1 + 1) * 3 * 1 * 3;

        assertThat(Grid.pointCount(spec)).isEqualTo(expected).isEqualTo(36);
        assertThat(Grid.points(spec)).hasSize(36);
    }

    @Test
    void zerosAndConstantDoNotCrossTheStdAxisEither() {
        SweepSpec spec = parse("""
                network: {width: [8, 16]}
                grid:
                  init: [normal, uniform, zeros, {constant: {value: 0.5}}, xavier_uniform, kaiming_uniform]
                  activation: [tanh, {leaky_relu: {slope: 0.1}}]
                  std: [0.5, 1.0, 2.0]
                  depth: [2, 4]
                """);
        int stds = 3;
        long perInit = stds + stds + 1 + 1 + 1 + 1;
        long expected = perInit * 2 /* activations */ * 2 /* depths */ * 1 /* seeds */ * 2 /* widths */ * 1 /* batches */;

        assertThat(Grid.pointCount(spec)).isEqualTo(expected);
        assertThat(Grid.points(spec)).hasSize((int) expected);
    }

    @Test
    void widthAndBatchAxesMultiplyThePoints() {
        SweepSpec spec = parse("""
                network: {width: [8, 16, 32], batch: [4, 64]}
                grid: {init: kaiming_normal, activation: relu, depth: [1, 2]}
                """);
        List<GridPoint> points = Grid.points(spec);

        assertThat(Grid.pointCount(spec)).isEqualTo(3 * 2 * 2);
        assertThat(points).hasSize(12);
        assertThat(points.stream().map(p -> p.width() + "x" + p.batch()).collect(Collectors.toSet()))
                .containsExactlyInAnyOrder("8x4", "8x64", "16x4", "16x64", "32x4", "32x64");
    }

    @Test
    void noTwoPointsShareTheirCoordinates() {
        SweepSpec spec = parse("""
                network: {width: [8, 16], batch: [4, 5]}
                grid:
                  init: [normal, uniform, zeros, {constant: {value: 0.5}}, {constant: {value: -1}}, xavier_normal, kaiming_normal]
                  activation: [sigmoid, relu, leaky_relu, {leaky_relu: {slope: 0.3}}]
                  std: [1.0, 0.1]
                  depth: [1, 3]
                  seed: [0, 9]
                """);
        List<GridPoint> points = Grid.points(spec);

        assertThat(points).hasSize((int) Grid.pointCount(spec));
        assertThat(points.stream().map(Coordinates::of).collect(Collectors.toSet())).hasSize(points.size());
    }

    @Test
    void initStdIsTheAxisValueForFixedScaleInitsAndNullOtherwise() {
        SweepSpec spec = parse("""
                grid:
                  init: [normal, uniform, zeros, {constant: {value: 0.5}}, xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform]
                  activation: [tanh]
                  std: [1.0, 0.01]
                  depth: [2]
                """);

        for (Chain chain : Grid.chains(spec)) {
            InitScheme init = chain.params().init().scheme();
            for (GridPoint p : chain.points()) {
                if (init.usesStdAxis()) {
                    assertThat(p.initStd()).as("%s", init).isIn(1.0, 0.01);
                    assertThat(chain.params().initStd()).isEqualTo(p.initStd());
                } else {
                    assertThat(p.initStd()).as("%s", init).isNull();
                    assertThat(chain.params().initStd()).as("%s", init).isNaN();
                }
            }
        }
        Map<InitScheme, Set<Double>> stdsPerInit = Grid.points(spec).stream()
                .filter(p -> p.initStd() != null)
                .collect(Collectors.groupingBy(p -> p.init().scheme(), Collectors.mapping(GridPoint::initStd, Collectors.toSet())));
        assertThat(stdsPerInit).containsOnlyKeys(Normal.SCHEME, Uniform.SCHEME);
        assertThat(stdsPerInit.get(Normal.SCHEME)).containsExactlyInAnyOrder(1.0, 0.01);
        assertThat(stdsPerInit.get(Uniform.SCHEME)).containsExactlyInAnyOrder(1.0, 0.01);
    }

    @ParameterizedTest
    @ValueSource(ints = {1, 16, 100, 257})
    void weightStdFollowsThePyTorchFormulas(int width) {
        SweepSpec spec = parse("""
                network: {width: %d, batch: 2}
                grid:
                  init: [normal, uniform, zeros, {constant: {value: 0.5}}, xavier_normal, xavier_uniform, kaiming_normal, kaiming_uniform]
                  activation: [relu]
                  std: [0.25, 3.0]
                  depth: [1]
                """.formatted(width));
        // fan_in = fan_out = width for the square layers of the sweep
        double fanIn = width;
        double fanOut = width;
        double xavier = Math.sqrt(2.0 / (fanIn + fanOut)); // Glorot & Bengio 2010, torch.nn.init.xavier_normal_, gain 1
        double he = Math.sqrt(2.0 / fanIn); // He et al. 2015, torch.nn.init.kaiming_normal_, a=0, mode fan_in

        List<GridPoint> points = Grid.points(spec);
        assertThat(points).hasSize(2 + 2 + 6);
        for (GridPoint p : points) {
            double expected = switch (p.init().scheme().id()) {
                case "normal", "uniform" -> p.initStd();
                case "zeros", "constant" -> 0.0;
                case "xavier_normal", "xavier_uniform" -> xavier;
                case "kaiming_normal", "kaiming_uniform" -> he;
                default -> throw new AssertionError("not in this spec: " + p.init().label());
            };
            assertThat(p.weightStd()).as("%s at width %d", p.init().label(), width)
                    .isCloseTo(expected, within(TOLERANCE * Math.max(expected, Double.MIN_NORMAL)));
        }
    }

    @Test
    void chainsGroupPointsThatDifferOnlyInDepth() {
        SweepSpec spec = parse("""
                grid:
                  init: [normal, kaiming_normal]
                  activation: [tanh, relu]
                  std: [1.0, 0.1]
                  depth: [3, 5]
                  seed: [0, 1]
                """);
        List<Chain> chains = Grid.chains(spec);

        assertThat(chains).hasSize((int) Grid.pointCount(spec) / 2);
        for (Chain chain : chains) {
            assertThat(chain.points()).extracting(GridPoint::depth).containsExactly(3, 5);
            assertThat(chain.params().maxDepth()).isEqualTo(5);
            assertThat(chain.points()).allSatisfy(p -> assertThat(p.chainId()).isEqualTo(chain.chainId()));
            Set<Coordinates> withoutDepth = chain.points().stream()
                    .map(p -> new Coordinates(p.init(), p.activation(), p.initStd(), 0, p.seed(), p.width(), p.batch()))
                    .collect(Collectors.toSet());
            assertThat(withoutDepth).as("points of one chain differ only in depth").hasSize(1);
            GridPoint first = chain.points().get(0);
            ChainParams params = chain.params();
            assertThat(params.init().scheme()).isEqualTo(first.init().scheme());
            assertThat(params.activation()).isEqualTo(first.activation().activation());
            assertThat(params.seed()).isEqualTo(first.seed());
            assertThat(params.width()).isEqualTo(first.width());
            assertThat(params.batch()).isEqualTo(first.batch());
            assertThat(params.masterSeed()).isEqualTo(spec.masterSeed());
        }
        assertThat(chains.stream().map(Chain::chainId).collect(Collectors.toSet())).hasSize(chains.size());
    }

    @Test
    void chainPointsAscendInDepthWhateverTheAxisOrder() {
        SweepSpec spec = parse("grid: {init: kaiming_normal, activation: relu, depth: [7, 2, 4]}\n");
        List<Chain> chains = Grid.chains(spec);

        assertThat(chains).hasSize(1);
        assertThat(chains.get(0).points()).extracting(GridPoint::depth).containsExactly(2, 4, 7);
        assertThat(chains.get(0).params().maxDepth()).isEqualTo(7);
    }

    @Test
    void chainParamsCarryTheInitValueAndActivationParameter() {
        SweepSpec spec = parse("""
                seed: 77
                network: {width: 12, batch: 3}
                grid: {init: {constant: {value: -0.25}}, activation: {leaky_relu: {slope: 0.3}}, depth: 2}
                """);
        ChainParams params = Grid.chains(spec).get(0).params();

        assertThat(params.initValue()).isEqualTo(-0.25);
        assertThat(params.activationParam()).isEqualTo(0.3);
        assertThat(params.masterSeed()).isEqualTo(77L);
        assertThat(params.width()).isEqualTo(12);
        assertThat(params.batch()).isEqualTo(3);
        assertThat(params.input()).isEqualTo(InputDistribution.NORMAL);
    }

    @Test
    void runIdsAreUniqueHexAndStableAcrossExpansions() {
        String yaml = """
                network: {width: [8, 16]}
                grid:
                  init: [normal, zeros, {constant: {value: 0.5}}, xavier_normal, kaiming_uniform]
                  activation: [sigmoid, tanh, relu, {leaky_relu: {slope: 0.2}}]
                  std: [1.0, 0.01]
                  depth: [1, 4]
                  seed: [0, 1, 2]
                """;
        List<String> first = Grid.points(parse(yaml)).stream().map(GridPoint::runId).toList();
        List<String> second = Grid.points(parse(yaml)).stream().map(GridPoint::runId).toList();

        assertThat(first).hasSize((int) Grid.pointCount(parse(yaml)));
        assertThat(new HashSet<>(first)).hasSameSizeAs(first);
        assertThat(first).allSatisfy(id -> assertThat(id).matches("[0-9a-f]{16}"));
        assertThat(second).isEqualTo(first);
        SweepSpec spec = parse(yaml);
        assertThat(Grid.points(spec)).isEqualTo(Grid.points(spec));
    }

    @Test
    void runIdsDependOnCoordinatesNotOnAxisOrderOrOtherDepths() {
        SweepSpec a = parse("""
                grid:
                  init: [normal, kaiming_normal]
                  activation: [tanh, relu]
                  std: [1.0, 0.1]
                  depth: [3, 5]
                  seed: [0, 1]
                """);
        SweepSpec reordered = parse("""
                grid:
                  init: [kaiming_normal, normal]
                  activation: [relu, tanh]
                  std: [0.1, 1.0]
                  depth: [5, 3]
                  seed: [1, 0]
                """);
        SweepSpec onlyDepth3 = parse("""
                grid:
                  init: [normal, kaiming_normal]
                  activation: [tanh, relu]
                  std: [1.0, 0.1]
                  depth: [3]
                  seed: [0, 1]
                """);
        Map<Coordinates, String> ids = Grid.points(a).stream().collect(Collectors.toMap(Coordinates::of, GridPoint::runId));
        Map<Coordinates, String> reorderedIds = Grid.points(reordered).stream()
                .collect(Collectors.toMap(Coordinates::of, GridPoint::runId));

        assertThat(reorderedIds).isEqualTo(ids);
        for (GridPoint p : Grid.points(onlyDepth3)) {
            assertThat(p.runId()).isEqualTo(ids.get(Coordinates.of(p)));
        }
    }

    @Test
    void runIdsChangeWithTheMasterSeed() {
        String grid = "grid: {init: kaiming_normal, activation: relu, depth: [2, 3]}\n";
        Set<String> seed1 = Grid.points(parse("seed: 1\n" + grid)).stream().map(GridPoint::runId).collect(Collectors.toSet());
        Set<String> seed2 = Grid.points(parse("seed: 2\n" + grid)).stream().map(GridPoint::runId).collect(Collectors.toSet());

        assertThat(seed1).hasSize(2).doesNotContainAnyElementsOf(seed2);
    }

    @Test
    void statsRangesOverrideTheActivationDefaultsPerActivation() {
        SweepSpec spec = parse("""
                grid:
                  init: [kaiming_normal]
                  activation: [sigmoid, tanh, relu, leaky_relu]
                  depth: [2]
                stats: {bins: 12, saturation_threshold: 0.1, range: {relu: [0, 3], tanh: [-2, 2]}, log_bins: 8, log_range: [-6, 2]}
                """);
        HistogramSpec log = new HistogramSpec(-6, 2, 8);

        for (ActivationChoice act : spec.activations()) {
            Activation a = act.activation();
            HistogramSpec expected = a == Activation.RELU ? new HistogramSpec(0, 3, 12)
                    : a == Activation.TANH ? new HistogramSpec(-2, 2, 12)
                    : new HistogramSpec(a.defaultHistogramLo(), a.defaultHistogramHi(), 12);
            assertThat(Grid.statsFor(spec, act)).as("%s", a).isEqualTo(new StatsConfig(expected, log, 0.1));
        }
        for (Chain chain : Grid.chains(spec)) {
            ActivationChoice act = chain.points().get(0).activation();
            assertThat(chain.params().stats()).isEqualTo(Grid.statsFor(spec, act));
        }
    }

    @Test
    void defaultStatsUseTheActivationRanges() {
        SweepSpec spec = parse("grid: {init: kaiming_normal, activation: [sigmoid, relu], depth: 1}\n");

        assertThat(Grid.statsFor(spec, spec.activations().get(0)))
                .isEqualTo(new StatsConfig(new HistogramSpec(0.0, 1.0, 30), StatsConfig.DEFAULT_LOG_HISTOGRAM,
                        StatsConfig.DEFAULT_SATURATION_THRESHOLD));
        assertThat(Grid.statsFor(spec, spec.activations().get(1)).histogram())
                .isEqualTo(new HistogramSpec(Activation.RELU.defaultHistogramLo(), Activation.RELU.defaultHistogramHi(), 30));
    }

    @Test
    void pointCountSaturatesAtLongMaxValueInsteadOfOverflowing() {
        SweepSpec parsed = parse("grid: {init: [normal, kaiming_normal], activation: relu, std: [1.0, 2.0], depth: 1}\n");
        int huge = Integer.MAX_VALUE;
        SweepSpec spec = new SweepSpec("overflow", 0, Collections.nCopies(huge, 8), Collections.nCopies(huge, 8),
                parsed.inputs(), parsed.inputWidths(), parsed.biasStds(), parsed.dtypes(), parsed.inits(),
                Collections.nCopies(huge, parsed.activations().get(0)),
                parsed.stds(), Collections.nCopies(huge, 1), Collections.nCopies(huge, 0L), parsed.stats(), null,
                parsed.text(), parsed.sha256());

        assertThat(Grid.pointCount(spec)).isEqualTo(Long.MAX_VALUE);
    }

    @Test
    void pointCountJustBelowOverflowIsExact() {
        SweepSpec parsed = parse("grid: {init: kaiming_normal, activation: relu, depth: 1}\n");
        int huge = Integer.MAX_VALUE;
        // 2 · (2^31 − 1)^2 = 2^63 − 2^33 + 2 still fits a long
        SweepSpec spec = new SweepSpec("big", 0, Collections.nCopies(huge, 8), Collections.nCopies(1, 8),
                parsed.inputs(), parsed.inputWidths(), parsed.biasStds(), parsed.dtypes(), parsed.inits(),
                parsed.activations(), parsed.stds(),
                Collections.nCopies(huge, 1), Collections.nCopies(2, 0L), parsed.stats(), null, parsed.text(),
                parsed.sha256());

        assertThat(Grid.pointCount(spec)).isEqualTo(2L * huge * huge).isLessThan(Long.MAX_VALUE);
    }
}
