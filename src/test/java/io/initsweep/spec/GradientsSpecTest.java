package io.initsweep.spec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowable;

import io.initsweep.sim.Backward;
import io.initsweep.sim.Gradients;
import java.nio.charset.StandardCharsets;
import java.util.List;
import org.junit.jupiter.api.Test;

/** The spec key {@code gradients}: off by default, on with true or a block, one-line errors. */
class GradientsSpecTest {
    private static final String GRID = "grid: {init: [kaiming_normal, normal], activation: [relu, tanh],"
            + " std: [1.0, 0.5], depth: [2, 3], seed: [0, 1]}\n";

    private static SweepSpec parse(String extra) {
        return SpecParser.parse((GRID + extra).getBytes(StandardCharsets.UTF_8), "grads");
    }

    private static String rejected(String extra) {
        Throwable t = catchThrowable(() -> parse(extra));
        assertThat(t).isExactlyInstanceOf(SpecException.class);
        assertThat(t.getMessage()).doesNotContain("\n");
        return t.getMessage();
    }

    @Test
    void gradientsAreOffUnlessAskedForAndTheirChainsGetIdsOfTheirOwn() {
        SweepSpec plain = parse("");
        assertThat(plain.stats().gradients()).isNull();
        assertThat(parse("gradients: false\n").stats().gradients()).isNull();
        SweepSpec on = parse("gradients: true\n");
        assertThat(on.stats().gradients()).isEqualTo(Gradients.NORMAL);
        assertThat(parse("gradients: {error: normal}\n").stats().gradients()).isEqualTo(Gradients.NORMAL);
        assertThat(parse("gradients: {error: mse}\n").stats().gradients())
                .isEqualTo(new Gradients(Backward.ErrorMode.MSE, Gradients.DEFAULT_OUTPUTS));
        assertThat(parse("gradients: {error: mse, outputs: 3}\n").stats().gradients())
                .isEqualTo(new Gradients(Backward.ErrorMode.MSE, 3));
        assertThat(parse("gradients: {jacobian_samples: 0}\n").stats().gradients())
                .isEqualTo(new Gradients(Backward.ErrorMode.NORMAL, 1, 0));
        assertThat(Gradients.NORMAL.jacobianSamples()).isEqualTo(8);

        List<Chain> without = Grid.chains(plain);
        List<Chain> with = Grid.chains(on);
        assertThat(with).hasSameSizeAs(without);
        assertThat(Grid.chains(parse("gradients: false\n"))).extracting(Chain::chainId)
                .containsExactlyElementsOf(without.stream().map(Chain::chainId).toList());
        for (int i = 0; i < with.size(); i++) {
            assertThat(with.get(i).chainId()).isNotEqualTo(without.get(i).chainId());
            assertThat(with.get(i).params().stats().gradients()).isEqualTo(Gradients.NORMAL);
        }
    }

    @Test
    void badGradientsBlocksAreOneLineErrorsNamingTheField() {
        assertThat(rejected("gradients: yes please\n")).contains("gradients", "true, false or a mapping", "yes please");
        assertThat(rejected("gradients: {error: hinge}\n")).contains("gradients.error", "hinge", "normal, mse");
        assertThat(rejected("gradients: {error: mse, outputs: 0}\n")).contains("gradients.outputs", "0");
        assertThat(rejected("gradients: {outputs: 4}\n")).contains("gradients.outputs", "error: mse");
        assertThat(rejected("gradients: {error: normal, samples: 4}\n")).contains("gradients.samples", "jacobian_samples");
        assertThat(rejected("gradients: {jacobian_samples: 1001}\n")).contains("gradients.jacobian_samples", "1001");
    }
}
