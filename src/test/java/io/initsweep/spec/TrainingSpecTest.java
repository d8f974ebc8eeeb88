package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.sim.Optimizer;
import io.initsweep.sim.Training;
import io.initsweep.sim.TrainingSetup;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec key {@code training}: off by default, optimizer and lr as grid axes, one-line errors. */
class TrainingSpecTest {
    private static final String GRID = "grid: {init: [kaiming_normal, normal], activation: [relu, tanh],"
            + " std: [1.0, 0.5], depth: [2, 3], seed: [0, 1]}\n";

    private static SweepSpec parse(String extra) {
        return SpecParser.parse((GRID + extra).getBytes(StandardCharsets.UTF_8), "train");
    }

    private static String rejected(String extra) {
        Throwable t = catchThrowable(() -> parse(extra));
        assertThat(t).isExactlyInstanceOf(SpecException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    @Test
    void trainingIsOffUnlessAskedForAndOptimizerAndLrAreGridAxes() {
        SweepSpec plain = parse("");
        assertThat(plain.stats().trainings()).isEmpty();
        assertThat(parse("training: false\n").stats().trainings()).isEmpty();

        SweepSpec one = parse("training: {lr: 0.1}\n");
        TrainingSetup t = one.stats().trainings().get(0);
        assertThat(t.kind()).isEqualTo(Training.Kind.REGRESSION);
        assertThat(t.outputs()).isEqualTo(TrainingSetup.DEFAULT_OUTPUTS);
        assertThat(t.samples()).isEqualTo(4096);
        assertThat(t.testSamples()).isEqualTo(1024);
        assertThat(t.optimizer()).isEqualTo(Optimizer.Params.sgd(0.1));
        assertThat(t.recordSteps()).isEqualTo(Training.defaultRecord(t.steps()));

        SweepSpec two = parse("training: {optimizer: [sgd, adam], lr: [0.1, 0.01, 0.001], steps: 50, batch: 32,"
                + " kind: classification, outputs: 3, record: [10, 5]}\n");
        List<TrainingSetup> setups = two.stats().trainings();
        assertThat(setups).hasSize(6);
        assertThat(setups).extracting(s -> s.optimizer().kind()).containsExactly(Optimizer.Kind.SGD, Optimizer.Kind.SGD,
                Optimizer.Kind.SGD, Optimizer.Kind.ADAM, Optimizer.Kind.ADAM, Optimizer.Kind.ADAM);
        assertThat(setups.get(4).optimizer()).isEqualTo(Optimizer.Params.adam(0.01, 0.9, 0.999, 1e-8));
        assertThat(setups.get(0).recordSteps()).containsExactly(0, 5, 10, 50);
        assertThat(Grid.pointCount(two)).isEqualTo(6 * Grid.pointCount(plain));

        // every chain of a training sweep has an id of its own; sweeps without training keep theirs
        List<Chain> without = Grid.chains(plain);
        List<Chain> with = Grid.chains(two);
        assertThat(with).hasSize(6 * without.size());
        assertThat(with.stream().map(Chain::chainId).distinct().count()).isEqualTo(with.size());
        assertThat(Grid.chains(parse("training: false\n"))).extracting(Chain::chainId)
                .containsExactlyElementsOf(without.stream().map(Chain::chainId).toList());
        assertThat(with).allSatisfy(c -> assertThat(c.params().unitKey()).isNull());
    }

    @Test
    void badTrainingBlocksAreOneLineErrorsNamingTheField() {
        assertThat(rejected("training: maybe\n")).contains("training", "false or a mapping", "maybe");
        assertThat(rejected("training: {steps: 10}\n")).contains("training.lr", "missing");
        assertThat(rejected("training: {lr: 0}\n")).contains("training.lr", "> 0", "0");
        assertThat(rejected("training: {lr: [0.1, 0.1]}\n")).contains("training.lr[1]", "repeats");
        assertThat(rejected("training: {lr: 0.1, optimizer: rmsprop}\n")).contains("training.optimizer", "rmsprop",
                "sgd, momentum, adam");
        assertThat(rejected("training: {lr: 0.1, task: mnist}\n")).contains("training.task", "mnist", "teacher");
        assertThat(rejected("training: {lr: 0.1, kind: ranking}\n")).contains("training.kind", "ranking",
                "regression, classification");
        assertThat(rejected("training: {lr: 0.1, kind: classification, outputs: 1}\n")).contains("training.outputs", "1");
        assertThat(rejected("training: {lr: 0.1, samples: 100, batch: 101}\n")).contains("training.batch", "101", "100");
        assertThat(rejected("training: {lr: 0.1, steps: 0}\n")).contains("training.steps", "0");
        assertThat(rejected("training: {lr: 0.1, steps: 10, record: [11]}\n")).contains("training.record", "11");
        assertThat(rejected("training: {lr: 0.1, beta1: 0.5}\n")).contains("training.beta1", "adam", "sgd");
        assertThat(rejected("training: {lr: 0.1, optimizer: adam, beta2: 1}\n")).contains("training.beta2", "[0, 1)", "1");
        assertThat(rejected("training: {lr: 0.1, optimizer: momentum, momentum: -0.1}\n")).contains("training.momentum",
                "-0.1");
        assertThat(rejected("training: {lr: 0.1, optimizer: adam, eps: 0}\n")).contains("training.eps", "> 0");
        assertThat(rejected("training: {lr: 0.1, epochs: 3}\n")).contains("training.epochs", "not a known key");
    }
}
