package io.initsweep.job;

import io.initsweep.sim.ChainParams;
import io.initsweep.sim.ChainResult;
import io.initsweep.sim.GradientResult;
import io.initsweep.sim.JacobianSpectrum;
import io.initsweep.sim.Lsuv;
import io.initsweep.sim.TrainingResult;
import io.initsweep.sim.TrainingSetup;
import io.initsweep.spec.Chain;
import io.initsweep.spec.GridPoint;
import io.initsweep.tables.Schema;
import io.initsweep.theory.ChainTheory;
import io.initsweep.theory.MeanField;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.RowFactory;

/**
 * Turns a simulated chain into rows of the layers table: for every grid point of the chain, one
 * row per layer 1..depth, read from the shared forward pass. Values are put by column name and
 * laid out in {@link Schema#LAYERS} order, so a column the schema gains but the encoder does not
 * fill fails loudly instead of shifting every value after it.
 */
public final class RowEncoder {
    private RowEncoder() {}

    /** The key columns every table carries, for one grid point. */
    static Map<String, Object> keys(String sweep, Chain chain, GridPoint point) {
        ChainParams p = chain.params();
        Map<String, Object> v = new LinkedHashMap<>();
        v.put("sweep", sweep);
        v.put("run_id", point.runId());
        v.put("chain_id", chain.chainId());
        v.put("init", p.init().id());
        v.put("init_value", nullIfNaN(p.initValue()));
        v.put("init_params", p.init().label());
        v.put("gain", nullIfNaN(p.init().gain()));
        v.put("activation", p.activation().id());
        v.put("activation_param", nullIfNaN(p.activationParam()));
        v.put("init_std", point.initStd());
        v.put("weight_std", nullIfNaN(point.weightStd()));
        v.put("depth", point.depth());
        v.put("seed", point.seed());
        v.put("master_seed", p.masterSeed());
        v.put("width", point.width());
        v.put("batch", point.batch());
        v.put("input", chain.input());
        v.put("input_correlation", p.inputCorrelation());
        v.put("input_width", p.inputWidth());
        v.put("bias_std", p.biasStd());
        v.put("dtype", p.dtype().id());
        TrainingSetup t = p.stats().training();
        v.put("optimizer", t == null ? null : t.optimizer().kind().id());
        v.put("lr", t == null ? null : t.optimizer().lr());
        return v;
    }

    /** The mean-field theory beside a chain's rows; null where it does not apply. */
    public static ChainTheory theory(Chain chain, ChainResult r) {
        return ChainTheory.of(chain.params(), r.inputSqMean, r.inputCorrMean);
    }

    /**
     * Layers rows of every point of {@code chain}, in point order then layer order.
     *
     * @param theory {@link #theory} of the chain (null: theory columns null)
     */
    public static List<Row> layerRows(String sweep, Chain chain, ChainResult r, ChainTheory theory) {
        return layerRows(sweep, chain, r, theory, null);
    }

    /**
     * Layers rows of every point of {@code chain}, with the backward pass of each point.
     *
     * @param gradients the backward pass per point, in point order (null: gradient columns null)
     */
    public static List<Row> layerRows(String sweep, Chain chain, ChainResult r, ChainTheory theory,
            List<GradientResult> gradients) {
        ChainParams p = chain.params();
        double[] edges = p.stats().histogram().edges();
        double[] logEdges = p.stats().logHistogram().edges();
        List<Row> rows = new ArrayList<>();
        for (int pi = 0; pi < chain.points().size(); pi++) {
            GridPoint point = chain.points().get(pi);
            GradientResult g = gradients == null ? null : gradients.get(pi);
            Map<String, Object> keys = keys(sweep, chain, point);
            for (int l = 0; l < point.depth(); l++) {
                Map<String, Object> v = new LinkedHashMap<>(keys);
                v.put("layer", l + 1);
                v.put("fan_in", p.fanIn(l + 1));
                v.put("weight_rms", r.weightRms[l]);
                v.put("lsuv_iterations", p.init() instanceof Lsuv ? (Object) r.lsuvIterations[l] : null);
                v.put("act_mean", r.actMean[l]);
                v.put("act_std", r.actStd[l]);
                v.put("act_min", r.actMin[l]);
                v.put("act_max", r.actMax[l]);
                v.put("pre_mean", r.preMean[l]);
                v.put("pre_std", r.preStd[l]);
                v.put("pre_min", r.preMin[l]);
                v.put("pre_max", r.preMax[l]);
                v.put("pre_sq_mean", r.preSqMean[l]);
                v.put("saturation_rate", r.saturationRate[l]);
                v.put("dead_unit_rate", r.deadUnitRate[l]);
                v.put("zero_rate", r.zeroRate[l]);
                v.put("nonfinite_count", r.nonfinite[l]);
                v.put("pre_nonfinite_count", r.preNonfinite[l]);
                v.put("hist_counts", r.histCounts(l));
                v.put("hist_edges", edges);
                v.put("hist_underflow", r.histUnderflow[l]);
                v.put("hist_overflow", r.histOverflow[l]);
                v.put("hist_nonfinite", r.nonfinite[l]);
                v.put("log_hist_counts", r.logHistCounts(l));
                v.put("log_hist_edges", logEdges);
                v.put("log_hist_underflow", r.logHistUnderflow[l]);
                v.put("log_hist_overflow", r.logHistOverflow[l]);
                v.put("log_hist_nonfinite", r.nonfinite[l]);
                v.put("saturation_threshold", p.stats().saturationThreshold());
                v.put("pre_corr_mean", nullIfNaN(r.preCorrMean[l]));
                v.put("pre_corr_spread", nullIfNaN(r.preCorrSpread[l]));
                v.put("theory_q", theory == null ? null : nullIfNaN(theory.q()[l]));
                v.put("theory_c", theory == null ? null : nullIfNaN(theory.c()[l]));
                v.put("theory_chi1", theory == null ? null : nullIfNaN(theory.chi1()[l]));
                v.put("theory_saturation_rate", theory == null ? null : nullIfNaN(theory.saturationRate()[l]));
                v.put("theory_zero_rate", theory == null ? null : nullIfNaN(theory.zeroRate()[l]));
                v.put("q_rel_error", theory == null ? null : nullIfNaN(theory.qRelError(l, r.preSqMean[l])));
                putGradients(v, g, l, g == null ? null : r.distinctUnits[l]);
                rows.add(toRow(Schema.LAYERS, v));
            }
        }
        return rows;
    }

    private static final double[] GRAD_LOG_EDGES = logEdges();

    private static double[] logEdges() {
        return edges(GradientResult.LOG_LO, GradientResult.LOG_HI, GradientResult.LOG_BINS);
    }

    /** The gradient columns of 0-based layer {@code l}, all null when {@code g} is. */
    private static void putGradients(Map<String, Object> v, GradientResult g, int l, Integer distinctUnits) {
        v.put("grad_sq_mean", g == null ? null : g.gradSqMean[l]);
        v.put("grad_ratio", g == null ? null : nullIfNaN(g.gradRatio[l]));
        v.put("weight_grad_norm", g == null ? null : g.weightGradNorm[l]);
        v.put("weight_grad_ratio", g == null ? null : g.weightGradRatio[l]);
        v.put("bias_grad_norm", g == null ? null : nullIfNaN(g.biasGradNorm[l]));
        v.put("grad_log_hist_counts", g == null ? null
                : java.util.Arrays.copyOfRange(g.logHistCounts, l * GradientResult.LOG_BINS, (l + 1) * GradientResult.LOG_BINS));
        v.put("grad_log_hist_edges", g == null ? null : GRAD_LOG_EDGES);
        v.put("grad_log_hist_underflow", g == null ? null : g.logHistUnderflow[l]);
        v.put("grad_log_hist_overflow", g == null ? null : g.logHistOverflow[l]);
        v.put("grad_nonfinite_count", g == null ? null : g.gradNonfinite[l]);
        v.put("distinct_units", distinctUnits);
    }

    /**
     * The runs row of one grid point: its final layer (layer = depth), the non-finite count
     * summed over its layers, and act_std of the final layer over the first's (null when the
     * first is 0, as SQL's try_divide).
     */
    public static Row runRow(String sweep, Chain chain, GridPoint point, ChainResult r, ChainTheory theory) {
        return runRow(sweep, chain, point, r, theory, null);
    }

    /** The runs row of one grid point with its backward pass {@code g} (null: gradient columns null). */
    public static Row runRow(String sweep, Chain chain, GridPoint point, ChainResult r, ChainTheory theory,
            GradientResult g) {
        return runRow(sweep, chain, point, r, theory, g, null);
    }

    /**
     * The runs row of one grid point with its backward pass {@code g} and training run {@code tr}
     * (null: those columns null).
     */
    public static Row runRow(String sweep, Chain chain, GridPoint point, ChainResult r, ChainTheory theory,
            GradientResult g, TrainingResult tr) {
        int last = point.depth() - 1;
        long nonfinite = 0;
        for (int l = 0; l <= last; l++) {
            nonfinite += r.nonfinite[l];
        }
        Map<String, Object> v = keys(sweep, chain, point);
        v.put("act_mean", r.actMean[last]);
        v.put("act_std", r.actStd[last]);
        v.put("pre_sq_mean", r.preSqMean[last]);
        v.put("saturation_rate", r.saturationRate[last]);
        v.put("dead_unit_rate", r.deadUnitRate[last]);
        v.put("zero_rate", r.zeroRate[last]);
        v.put("nonfinite_count", nonfinite);
        v.put("act_std_ratio", r.actStd[0] == 0.0 ? null : r.actStd[last] / r.actStd[0]);
        v.put("saturation_threshold", chain.params().stats().saturationThreshold());
        v.put("input_sq_mean", r.inputSqMean);
        v.put("input_corr_mean", nullIfNaN(r.inputCorrMean));
        MeanField.FixedPoint fp = theory == null ? null : theory.fixedPoint();
        v.put("q_star", fp == null ? null : nullIfNaN(fp.qStar()));
        v.put("c_star", fp == null ? null : nullIfNaN(fp.cStar()));
        v.put("chi1", fp == null ? null : nullIfNaN(fp.chi1()));
        v.put("xi_q", fp == null ? null : nullIfNaN(fp.xiQ()));
        v.put("xi_c", fp == null ? null : nullIfNaN(fp.xiC()));
        v.put("phase", fp == null || fp.phase() == null ? null : fp.phase().id());
        v.put("depth_over_xi_c", fp == null ? null : nullIfNaN(theory.depthOverXiC(point.depth())));
        v.put("grad_error", g == null ? null : chain.params().stats().gradients().error().id());
        v.put("grad_loss", g == null ? null : nullIfNaN(g.loss));
        v.put("grad_first_over_last", g == null ? null : nullIfNaN(g.gradFirstOverLast));
        v.put("chi1_measured", g == null ? null : nullIfNaN(g.chi1Measured));
        v.put("final_train_loss", tr == null ? null : tr.finalTrainLoss);
        v.put("final_test_loss", tr == null ? null : tr.finalTestLoss);
        v.put("best_test_loss", tr == null ? null : nullIfNaN(tr.bestTestLoss));
        v.put("baseline_test_loss", tr == null ? null : tr.baselineTestLoss);
        v.put("steps_to_half_loss", tr == null || tr.stepsToHalfLoss < 0 ? null : tr.stepsToHalfLoss);
        v.put("diverged", tr == null ? null : tr.diverged);
        v.put("diverged_at", tr == null || !tr.diverged ? null : tr.divergedAt);
        v.put("trained", tr == null ? null : tr.trained);
        v.put("train_records", tr == null ? null : tr.records());
        return toRow(Schema.RUNS, v);
    }

    /** The training rows of one grid point: one per recorded step. */
    public static List<Row> trainingRows(String sweep, Chain chain, GridPoint point, TrainingResult tr) {
        List<Row> rows = new ArrayList<>();
        for (int k = 0; k < tr.records(); k++) {
            Map<String, Object> v = keys(sweep, chain, point);
            v.put("step", tr.step[k]);
            v.put("train_loss", tr.trainLoss[k]);
            v.put("test_loss", tr.testLoss[k]);
            v.put("accuracy", nullIfNaN(tr.accuracy[k]));
            v.put("train_accuracy", nullIfNaN(tr.trainAccuracy[k]));
            v.put("grad_norm", tr.gradNorm[k].clone());
            Double[] update = new Double[tr.updateRatio[k].length];
            for (int l = 0; l < update.length; l++) {
                update[l] = k == 0 ? null : tr.updateRatio[k][l];
            }
            v.put("update_ratio", update);
            v.put("distinct_units", tr.distinctUnits[k].clone());
            v.put("nonfinite", tr.nonfinite[k]);
            rows.add(toRow(Schema.TRAINING, v));
        }
        return rows;
    }

    /** Edges of the jacobian table's log10 σ histogram: −8 to 4, a quarter decade a bin. */
    static final double[] SV_LOG_EDGES = edges(-8, 4, 48);

    private static double[] edges(double lo, double hi, int bins) {
        double[] e = new double[bins + 1];
        for (int i = 0; i <= bins; i++) {
            e[i] = lo + i * (hi - lo) / bins;
        }
        return e;
    }

    /**
     * Jacobian rows of a chain: for each spectrum (sample, layer), the row of the grid point whose
     * depth is that layer.
     */
    public static List<Row> jacobianRows(String sweep, Chain chain, List<JacobianSpectrum.Spectrum> spectra) {
        List<Row> rows = new ArrayList<>();
        for (JacobianSpectrum.Spectrum sp : spectra) {
            GridPoint point = chain.points().stream().filter(p -> p.depth() == sp.layer()).findFirst().orElseThrow();
            Map<String, Object> v = keys(sweep, chain, point);
            v.put("sample", sp.sample());
            v.put("layer", sp.layer());
            v.put("sv_sq_mean", sp.svSqMean());
            v.put("sv_sq_var", sp.svSqVar());
            v.put("sv_max", sp.svMax());
            v.put("sv_min", sp.svMin());
            v.put("condition", sp.condition());
            v.put("singular_values", sp.singularValues());
            long[] counts = new long[SV_LOG_EDGES.length - 1];
            long under = 0;
            long over = 0;
            double lo = SV_LOG_EDGES[0];
            double hi = SV_LOG_EDGES[SV_LOG_EDGES.length - 1];
            for (double sv : sp.singularValues()) {
                double lg = Math.log10(sv); // −∞ for 0: underflow; NaN: overflow (not finite)
                if (lg < lo) {
                    under++;
                } else if (!(lg < hi)) {
                    over++;
                } else {
                    counts[Math.min((int) ((lg - lo) * counts.length / (hi - lo)), counts.length - 1)]++;
                }
            }
            v.put("sv_log_hist_counts", counts);
            v.put("sv_log_hist_edges", SV_LOG_EDGES);
            v.put("sv_log_hist_underflow", under);
            v.put("sv_log_hist_overflow", over);
            rows.add(toRow(Schema.JACOBIAN, v));
        }
        return rows;
    }

    /** Lays {@code values} out in the table's column order; every column must be present, no other. */
    static Row toRow(Map<String, Schema.Column> table, Map<String, Object> values) {
        if (!values.keySet().equals(table.keySet())) {
            List<String> missing = new ArrayList<>(table.keySet());
            missing.removeAll(values.keySet());
            List<String> extra = new ArrayList<>(values.keySet());
            extra.removeAll(table.keySet());
            throw new IllegalStateException("row does not match the schema: missing " + missing + ", extra " + extra);
        }
        Object[] out = new Object[table.size()];
        int i = 0;
        for (String name : table.keySet()) {
            out[i++] = values.get(name);
        }
        return RowFactory.create(out);
    }

    private static Double nullIfNaN(double v) {
        return Double.isNaN(v) ? null : v;
    }
}
