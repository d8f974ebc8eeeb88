package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import io.initsweep.spec.Chain;
import io.initsweep.spec.Grid;
import io.initsweep.spec.GridPoint;
import io.initsweep.spec.SpecParser;
import io.initsweep.spec.SweepSpec;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.junit.jupiter.api.Test;

/**
 * A float32 chain's grid points train in float32: {@link GradientPass#train} on a float32 chain
 * gives {@link Training32}'s record, bit for bit, and not {@link Training}'s. A constant init
 * without biases makes the network's values known exactly (every weight and readout entry the
 * constant rounded to float32), so the test rebuilds the run from the chain's documented keys.
 */
class TrainingFloat32ChainTest {
    @Test
    void aFloat32ChainTrainsInFloat32() {
        SweepSpec spec = SpecParser.parse("""
                name: f32
                seed: 3
                network: { width: 8, batch: 16, input_width: 4, dtype: float32 }
                grid:
                  init: [{constant: {value: 0.05}}]
                  activation: [tanh]
                  depth: [2]
                  seed: [0]
                training:
                  kind: regression
                  outputs: 2
                  samples: 64
                  test_samples: 16
                  optimizer: adam
                  lr: 0.01
                  steps: 20
                  batch: 8
                """.getBytes(StandardCharsets.UTF_8), "f32");
        ForwardPass pass = new ForwardPass();
        int checked = 0;
        for (Chain chain : Grid.chains(spec)) {
            ChainParams p = chain.params();
            assertThat(p.dtype()).isEqualTo(Dtype.FLOAT32);
            pass.run(p);
            for (GridPoint point : chain.points()) {
                int depth = point.depth();
                TrainingResult got = pass.train(p, depth);
                TrainingSetup t = p.stats().training();
                int[] widths = new int[depth + 1];
                widths[0] = p.inputWidth();
                Arrays.fill(widths, 1, depth + 1, p.width());
                double value = (float) p.initValue();
                Training.Dataset data = Training.teacherTask(t.kind(), p.inputWidth(), t.outputs(), t.samples(),
                        t.testSamples(), t.dataKey(p.masterSeed(), p.seed(), p.inputWidth()));
                Training.Config config = t.config(t.orderKey(p.masterSeed(), p.seed()));
                TrainingResult[] want = new TrainingResult[2];
                for (int k = 0; k < 2; k++) {
                    double[][] w = new double[depth][];
                    for (int l = 0; l < depth; l++) {
                        w[l] = new double[widths[l] * widths[l + 1]];
                        Arrays.fill(w[l], value);
                    }
                    double[] readout = new double[p.width() * t.outputs()];
                    Arrays.fill(readout, value);
                    Backward.Network net = new Backward.Network(p.activation(), p.activationParam(), widths, w, null);
                    want[k] = k == 0 ? Training32.train(net, readout, data, config) : Training.train(net, readout, data, config);
                }
                assertThat(got.trainLoss).containsExactly(want[0].trainLoss);
                assertThat(got.testLoss).containsExactly(want[0].testLoss);
                assertThat(got.trainLoss).isNotEqualTo(want[1].trainLoss);
                checked++;
            }
        }
        assertThat(checked).isEqualTo(1);
    }
}
