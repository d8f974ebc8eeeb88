package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

/**
 * {@link Training} against an independent numpy implementation:
 * {@code src/test/python/training_reference.py} drew 18 small problems (regression and
 * classification × tanh, relu, softplus × sgd, momentum, adam; widths 5 → 8 → 7 → 6, 64 training
 * and 24 test samples, minibatch 16, 20 steps), trained them by hand-written backpropagation and
 * the optimizers' textbook formulas, with the sample order re-implemented from Training's javadoc,
 * and recorded at every step the train and test loss, the test accuracy, the per-layer minibatch
 * gradient norm and the per-layer update ratio. Here Training runs on the same data, weights and
 * seed and every one of those numbers must agree to {@value #REL_TOL} relative.
 *
 * <p>Tolerance: both sides compute the same float64 formulas in different summation orders (BLAS
 * against numpy, Adam's √v/√(1 − β2^t) against √(v/(1 − β2^t)), log1p of the non-maximal terms
 * against log of their sum), each differing by a few ulps per operation; through 20 steps of a
 * depth-3 network these grow to ~10⁻¹⁴ relative (the largest seen is printed). 10⁻¹⁰ leaves four
 * orders of magnitude while any wrong rule (a missed bias correction, a different sample, a
 * normalisation off by a factor) moves the losses by 10⁻³ or more within a step or two.
 * Accuracies are shares of 24 samples and must match exactly.
 */
class TrainingReferenceTest {
    private static final String CSV = "/golden/training_reference.csv";
    private static final double REL_TOL = 1e-10;
    private static final String CSV32 = "/golden/training_reference32.csv";
    private static final double REL_TOL32 = 2e-5;

    static Map<String, Map<String, String[]>> readCases() throws IOException {
        return readCases(CSV);
    }

    static Map<String, Map<String, String[]>> readCases(String csv) throws IOException {
        Map<String, Map<String, String[]>> cases = new LinkedHashMap<>();
        try (InputStream in = TrainingReferenceTest.class.getResourceAsStream(csv)) {
            assertThat(in).as(csv).isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String line;
            boolean header = false;
            while ((line = reader.readLine()) != null) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (!header) {
                    assertThat(line).isEqualTo("case,key,values");
                    header = true;
                    continue;
                }
                String[] parts = line.split(",", 3);
                cases.computeIfAbsent(parts[0], k -> new LinkedHashMap<>()).put(parts[1], parts[2].split(" "));
            }
        }
        return cases;
    }

    private static double[] doubles(Map<String, String[]> c, String key) {
        String[] v = c.get(key);
        assertThat(v).as(key).isNotNull();
        return Arrays.stream(v).mapToDouble(s -> s.equals("nan") ? Double.NaN : Double.parseDouble(s)).toArray();
    }

    private static int[] ints(Map<String, String[]> c, String key) {
        return Arrays.stream(c.get(key)).mapToInt(Integer::parseInt).toArray();
    }

    private static String text(Map<String, String[]> c, String key) {
        return c.get(key)[0];
    }

    @Test
    void reproducesTheNumpyRunsForEveryOptimizerActivationAndKind() throws IOException {
        Map<String, Map<String, String[]>> cases = readCases();
        assertThat(cases).hasSize(18);
        compare(cases, false, REL_TOL);
    }

    /**
     * {@link Training32} against the script's float32 runs of the tanh and relu problems (numpy on
     * float32 arrays throughout: the data, weights and readout rounded once, every operation then
     * in float32), 12 cases over 20 steps. Both sides round every operation to float32, but in
     * different orders and places: SGEMM against numpy's matmul (another summation order), φ and
     * φ' in float64 rounded once against numpy's float32 tanh, the loss and e in float64 against
     * float32, Adam's PyTorch order against the textbook one. Each costs an ulp or so of float32
     * (6·10⁻⁸) per operation, and 20 steps of a depth-3 network carry them through the weights:
     * the largest difference seen is 2.0·10⁻⁶ (printed; classification, relu, momentum, step 10).
     * {@value #REL_TOL32} relative leaves a margin of ten, while a wrong rule moves the losses by
     * 10⁻³ or more within a step or two. It checks the formulas, not the precision: float64
     * training of the same problems (from the unrounded values) lands 3.2·10⁻⁶ from these float32
     * runs, as close as float32 rounding puts two float32 runs. Accuracies are shares of 24 samples
     * and must match exactly.
     */
    @Test
    void float32ReproducesTheNumpyFloat32Runs() throws IOException {
        Map<String, Map<String, String[]>> cases = readCases(CSV32);
        assertThat(cases).hasSize(12);
        compare(cases, true, REL_TOL32);
    }

    private static void compare(Map<String, Map<String, String[]>> cases, boolean float32, double tol) {
        double worst = 0;
        String worstAt = "";
        for (Map.Entry<String, Map<String, String[]>> e : cases.entrySet()) {
            String name = e.getKey();
            Map<String, String[]> c = e.getValue();
            Training.Kind kind = Training.Kind.byId(text(c, "kind"));
            Activation act = Activation.byId(text(c, "activation"));
            Optimizer.Kind optKind = Optimizer.Kind.byId(text(c, "optimizer"));
            int[] widths = ints(c, "widths");
            int depth = widths.length - 1;
            int outputs = Integer.parseInt(text(c, "outputs"));
            int batch = Integer.parseInt(text(c, "batch"));
            int steps = Integer.parseInt(text(c, "steps"));
            long seed = Long.parseLong(text(c, "seed"));
            boolean biased = Boolean.parseBoolean(text(c, "biased"));

            double[][] w = new double[depth][];
            double[][] b = biased ? new double[depth][] : null;
            for (int l = 0; l < depth; l++) {
                w[l] = doubles(c, "w" + (l + 1));
                if (biased) {
                    b[l] = doubles(c, "b" + (l + 1));
                }
            }
            Backward.Network net = new Backward.Network(act, act.defaultParam(), widths, w, b);
            Training.Dataset data = kind == Training.Kind.REGRESSION
                    ? Training.Dataset.regression(widths[0], outputs, doubles(c, "train_x"), doubles(c, "train_y"),
                            doubles(c, "test_x"), doubles(c, "test_y"))
                    : Training.Dataset.classification(widths[0], outputs, doubles(c, "train_x"),
                            ints(c, "train_labels"), doubles(c, "test_x"), ints(c, "test_labels"));
            Optimizer.Params params = new Optimizer.Params(optKind, doubles(c, "lr")[0], doubles(c, "momentum")[0],
                    doubles(c, "beta1")[0], doubles(c, "beta2")[0], doubles(c, "eps")[0]);
            int[] record = IntStream.rangeClosed(0, steps).toArray();
            Training.Config config = new Training.Config(params, steps, batch, seed, record);
            TrainingResult r = float32 ? Training32.train(net, doubles(c, "readout"), data, config)
                    : Training.train(net, doubles(c, "readout"), data, config);

            assertThat(r.diverged).as(name).isFalse();
            assertThat(r.step).as(name).containsExactly(record);
            double[] trainLoss = doubles(c, "train_loss");
            double[] testLoss = doubles(c, "test_loss");
            for (int t = 0; t <= steps; t++) {
                String at = name + " step " + t;
                double d = Math.max(rel(r.trainLoss[t], trainLoss[t], at + " train_loss", tol),
                        rel(r.testLoss[t], testLoss[t], at + " test_loss", tol));
                for (int l = 0; l < depth; l++) {
                    double[] gn = doubles(c, "grad_norm_" + (l + 1));
                    double[] ur = doubles(c, "update_ratio_" + (l + 1));
                    d = Math.max(d, rel(r.gradNorm[t][l], gn[t], at + " grad_norm layer " + (l + 1), tol));
                    if (t == 0) {
                        assertThat(r.updateRatio[t][l]).as(at).isNaN();
                        assertThat(ur[t]).as(at).isNaN();
                    } else {
                        d = Math.max(d, rel(r.updateRatio[t][l], ur[t], at + " update_ratio layer " + (l + 1), tol));
                    }
                }
                if (kind == Training.Kind.CLASSIFICATION) {
                    assertThat(r.accuracy[t]).as(at + " accuracy").isEqualTo(doubles(c, "accuracy")[t]);
                } else {
                    assertThat(r.accuracy[t]).as(at + " accuracy").isNaN();
                }
                assertThat(r.nonfinite[t]).as(at).isFalse();
                if (d > worst) {
                    worst = d;
                    worstAt = at;
                }
            }
        }
        System.out.printf("training reference (%s): largest relative difference %.3g at %s%n",
                float32 ? "float32" : "float64", worst, worstAt);
    }

    private static double rel(double actual, double expected, String what, double tol) {
        double d = Math.abs(actual - expected) / Math.abs(expected);
        assertThat(d).as("%s: java %s, numpy %s", what, actual, expected).isLessThanOrEqualTo(tol);
        return d;
    }
}
