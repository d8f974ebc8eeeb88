package io.initsweep.sim;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * The Java kernel against the seed notebook's numpy loop. {@code src/test/python/golden_seed_stats.py}
 * ran the loop (X ~ N(0,1) 1000×100, depth 5, A = X·W, Z = φ(A)) for eight (init, activation)
 * configurations over 20 numpy seeds and stored, per configuration, layer and statistic, the
 * mean over seeds and the seed-to-seed sd. Here {@link ForwardPass} runs the same
 * configurations over {@value #JAVA_SEEDS} of its own seeds, and every statistic's Java mean
 * must lie within the sampling tolerance of numpy's mean.
 *
 * <p>Tolerance. Both means estimate the same expectation from independent seeds, so their
 * difference has sd √(s_java²/n_java + s_numpy²/n_numpy) (Welch's two-sample form, s the
 * seed-to-seed sds); the check allows {@link Reference#K_SIGMA} of those. Java's own spread
 * enters because numpy's 20 seeds underestimate the spread of statistics driven by rare,
 * column-level events: one column whose weights happen to sum far from 0 moves ~10³ entries
 * into a far histogram bin at once, and 20 seeds may hold no such column while 10 Java seeds
 * hold one (observed: xavier_normal + sigmoid, layer 2, bin [0.067, 0.1)). So that Java's
 * spread cannot excuse a noisy kernel, it may not exceed {@value #SPREAD_RATIO_MAX} × numpy's
 * for the moments and for shares between 1% and 99% (under equal spreads the squared ratio is
 * F(9, 19)-distributed: P(F &gt; 12.25) ≈ 5·10⁻⁶ per statistic). Floors, for statistics whose
 * spread is (nearly) zero on both sides:
 * <ul>
 *   <li>shares of entries or units (rates, histogram fractions): a binomial floor
 *       K·√(p·(1/N_java + 1/N_numpy)), N = seeds × entries (or units), with p the numpy share
 *       but at least 3/N_numpy (the "rule of three" upper bound on a share never observed). A
 *       statistic numpy never saw (e.g. saturation at std 0.01) therefore allows only a few
 *       entries in ~10⁶;</li>
 *   <li>moments: a relative floor of 10⁻⁶, far above the rounding differences of numpy's and
 *       Java's summation orders (≲ 10⁻¹⁰ relative) and far below every sampling spread here.</li>
 * </ul>
 * With these settings the run's |diff| / √(…) scores look like a t-sample (rms ≈ 1.1, none
 * above 4 of 1628 non-degenerate statistics), and the largest |diff| / tolerance is printed.
 */
class GoldenSeedStatsTest {
    private static final String CSV = "/golden/seed_stats.csv";
    private static final int JAVA_SEEDS = 10;
    private static final long MASTER = 1L;
    private static final int BATCH = 1000;
    private static final int WIDTH = 100;
    private static final int DEPTH = 5;

    /** Relative floor for moments; see the class comment. */
    private static final double REL_FLOOR = 1e-6;

    /** Largest allowed ratio of Java's to numpy's seed-to-seed sd for well-populated statistics; see the class comment. */
    private static final double SPREAD_RATIO_MAX = 3.5;

    /** Statistics every (config, layer) of the CSV must have: the script's list. */
    private static final Set<String> STATISTICS = statisticNames();

    record Row(String config, String init, double initStd, String activation, double histLo, double histHi, int bins,
            int layer, String statistic, double mean, double sd, int seeds) {}

    private static Set<String> statisticNames() {
        Set<String> s = new TreeSet<>(List.of("act_mean", "act_std", "pre_mean", "pre_std", "pre_sq_mean", "saturation_rate",
                "dead_unit_rate", "zero_rate", "hist_under", "hist_over", "log_under", "log_over"));
        for (int k = 0; k < 30; k++) {
            s.add(String.format("hist_%02d", k));
        }
        for (int k = 0; k < 32; k++) {
            s.add(String.format("log_%02d", k));
        }
        return s;
    }

    private static List<Row> readGolden() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = GoldenSeedStatsTest.class.getResourceAsStream(CSV)) {
            assertThat(in).as("classpath resource " + CSV + " (run src/test/python/golden_seed_stats.py)").isNotNull();
            BufferedReader reader = new BufferedReader(new InputStreamReader(in, StandardCharsets.UTF_8));
            String header = null;
            for (String line = reader.readLine(); line != null; line = reader.readLine()) {
                if (line.startsWith("#") || line.isBlank()) {
                    continue;
                }
                if (header == null) {
                    header = line;
                    assertThat(header).isEqualTo("config,init,init_std,activation,hist_lo,hist_hi,bins,layer,statistic,mean,sd,seeds");
                    continue;
                }
                String[] f = line.split(",", -1);
                rows.add(new Row(f[0], f[1], f[2].isEmpty() ? Double.NaN : Double.parseDouble(f[2]), f[3],
                        Double.parseDouble(f[4]), Double.parseDouble(f[5]), Integer.parseInt(f[6]), Integer.parseInt(f[7]), f[8],
                        Double.parseDouble(f[9]), Double.parseDouble(f[10]), Integer.parseInt(f[11])));
            }
        }
        return rows;
    }

    /** The Java value of a CSV statistic for a 0-based layer. */
    private static double statistic(ChainResult r, int l, String name) {
        double n = (double) BATCH * WIDTH;
        if (name.startsWith("hist_") && Character.isDigit(name.charAt(5))) {
            return r.histCounts[l * r.bins + Integer.parseInt(name.substring(5))] / n;
        }
        if (name.startsWith("log_") && Character.isDigit(name.charAt(4))) {
            return r.logHistCounts[l * r.logBins + Integer.parseInt(name.substring(4))] / n;
        }
        return switch (name) {
            case "act_mean" -> r.actMean[l];
            case "act_std" -> r.actStd[l];
            case "pre_mean" -> r.preMean[l];
            case "pre_std" -> r.preStd[l];
            case "pre_sq_mean" -> r.preSqMean[l];
            case "saturation_rate" -> r.saturationRate[l];
            case "dead_unit_rate" -> r.deadUnitRate[l];
            case "zero_rate" -> r.zeroRate[l];
            case "hist_under" -> r.histUnderflow[l] / n;
            case "hist_over" -> r.histOverflow[l] / n;
            case "log_under" -> r.logHistUnderflow[l] / n;
            case "log_over" -> r.logHistOverflow[l] / n;
            default -> throw new AssertionError("unknown statistic in " + CSV + ": " + name);
        };
    }

    /** Entries (or units) behind one seed's value of a share statistic; 0 for moments. */
    private static int denominator(String name) {
        return switch (name) {
            case "act_mean", "act_std", "pre_mean", "pre_std", "pre_sq_mean" -> 0;
            case "dead_unit_rate" -> WIDTH;
            default -> BATCH * WIDTH;
        };
    }

    private static double tolerance(Row row, double javaSd) {
        double k = Reference.K_SIGMA;
        double sampling = k * Math.sqrt(javaSd * javaSd / JAVA_SEEDS + row.sd() * row.sd() / row.seeds());
        int d = denominator(row.statistic());
        double floor;
        if (d > 0) {
            double nNumpy = (double) row.seeds() * d;
            double nJava = (double) JAVA_SEEDS * d;
            double p = Math.max(row.mean(), 3.0 / nNumpy);
            floor = k * Math.sqrt(p * (1.0 / nJava + 1.0 / nNumpy));
        } else {
            floor = REL_FLOOR * Math.abs(row.mean());
        }
        return Math.max(sampling, floor);
    }

    @Test
    void javaKernelMatchesTheNumpySeedLoop() throws IOException {
        List<Row> rows = readGolden();
        Map<String, List<Row>> byConfig = new LinkedHashMap<>();
        for (Row row : rows) {
            byConfig.computeIfAbsent(row.config(), c -> new ArrayList<>()).add(row);
        }
        assertThat(byConfig).as("configurations in " + CSV).hasSize(8);

        List<String> failures = new ArrayList<>();
        double worst = 0;
        String worstRow = "";
        for (Map.Entry<String, List<Row>> e : byConfig.entrySet()) {
            Row first = e.getValue().get(0);
            InitScheme init = Initializer.byId(first.init());
            Activation act = Activation.byId(first.activation());
            assertThat(init).as(first.init()).isNotNull();
            assertThat(act).as(first.activation()).isNotNull();
            // The kernel's defaults must be the definitions the script used (its constants
            // BINS = 30, HIST_RANGE, TAU = 0.05, LOG_RANGE = (−12, 4) in 32 bins).
            assertThat(act.defaultHistogramLo()).as(act.id() + " histogram lo").isEqualTo(first.histLo());
            assertThat(act.defaultHistogramHi()).as(act.id() + " histogram hi").isEqualTo(first.histHi());
            assertThat(first.bins()).isEqualTo(30);
            assertThat(StatsConfig.DEFAULT_SATURATION_THRESHOLD).isEqualTo(0.05);
            assertThat(StatsConfig.DEFAULT_LOG_HISTOGRAM).isEqualTo(new HistogramSpec(-12, 4, 32));
            StatsConfig stats = new StatsConfig(new HistogramSpec(act.defaultHistogramLo(), act.defaultHistogramHi(), first.bins()),
                    StatsConfig.DEFAULT_LOG_HISTOGRAM, StatsConfig.DEFAULT_SATURATION_THRESHOLD);

            Map<Integer, Set<String>> seen = new LinkedHashMap<>();
            for (Row row : e.getValue()) {
                seen.computeIfAbsent(row.layer(), l -> new TreeSet<>()).add(row.statistic());
            }
            assertThat(seen.keySet()).as(e.getKey() + " layers").containsExactly(1, 2, 3, 4, 5);
            seen.forEach((layer, names) -> assertThat(names).as(e.getKey() + " layer " + layer).isEqualTo(STATISTICS));

            ForwardPass pass = new ForwardPass();
            ChainResult[] results = new ChainResult[JAVA_SEEDS];
            for (int seed = 0; seed < JAVA_SEEDS; seed++) {
                results[seed] = pass.run(new ChainParams(MASTER, seed, WIDTH, BATCH, InputDistribution.NORMAL,
                        init.defaults(first.initStd()), act, act.defaultParam(), DEPTH, stats));
            }
            for (Row row : e.getValue()) {
                double[] values = new double[JAVA_SEEDS];
                for (int seed = 0; seed < JAVA_SEEDS; seed++) {
                    values[seed] = statistic(results[seed], row.layer() - 1, row.statistic());
                }
                double javaMean = Reference.mean(values);
                double javaSd = Reference.sampleSd(values);
                double tol = tolerance(row, javaSd);
                boolean wellPopulated = denominator(row.statistic()) == 0 || (row.mean() >= 0.01 && row.mean() <= 0.99);
                if (wellPopulated && javaSd > SPREAD_RATIO_MAX * row.sd()) {
                    failures.add(String.format("%s layer %d %s: java seed-to-seed sd %.3g exceeds %.1f × numpy's %.3g",
                            row.config(), row.layer(), row.statistic(), javaSd, SPREAD_RATIO_MAX, row.sd()));
                }
                double deviation = Math.abs(javaMean - row.mean());
                if (deviation / tol > worst) {
                    worst = deviation / tol;
                    worstRow = row.config() + " layer " + row.layer() + " " + row.statistic();
                }
                if (!(deviation <= tol)) {
                    failures.add(String.format("%s layer %d %s: java %.6g (sd %.3g over %d seeds) vs numpy %.6g (sd %.3g), "
                            + "|diff| %.3g > tol %.3g", row.config(), row.layer(), row.statistic(), javaMean,
                            javaSd, JAVA_SEEDS, row.mean(), row.sd(), deviation, tol));
                }
            }
        }
        System.out.printf("GoldenSeedStatsTest: %d statistics, largest |diff|/tol = %.2f (%s)%n", rows.size(), worst, worstRow);
        assertThat(failures).as("statistics outside the sampling tolerance of the numpy golden run").isEmpty();
    }
}
