package io.initsweep.tables;

import static org.apache.spark.sql.types.DataTypes.BooleanType;
import static org.apache.spark.sql.types.DataTypes.DoubleType;
import static org.apache.spark.sql.types.DataTypes.IntegerType;
import static org.apache.spark.sql.types.DataTypes.LongType;
import static org.apache.spark.sql.types.DataTypes.StringType;
import static org.apache.spark.sql.types.DataTypes.createArrayType;

import java.util.AbstractMap;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.types.DataType;
import org.apache.spark.sql.types.Metadata;
import org.apache.spark.sql.types.StructField;
import org.apache.spark.sql.types.StructType;

/**
 * The result tables' schema: the single source of truth for column names, types and their
 * meaning. Only simple Parquet types (string, int32, int64, double, lists of int64/double) so the
 * files open unchanged in DuckDB and pandas. {@link #PARTITION_COLUMNS} become Hive-style
 * directories ({@code layers/activation=relu/init=kaiming_normal/}), {@link #RUNS_PARTITION_COLUMNS}
 * for the runs table ({@code runs/activation=relu/}).
 */
public final class Schema {
    /** Columns the layers table is partitioned by, in directory order. */
    public static final List<String> PARTITION_COLUMNS = List.of("activation", "init");
    /**
     * Columns the runs table is partitioned by: activation only. A runs file holds one row per grid
     * point, so splitting it by init as well would make one tiny file per (activation, init) pair
     * (294 for the catalogue sweep), each costing more to write and list than its rows.
     */
    public static final List<String> RUNS_PARTITION_COLUMNS = List.of("activation");

    /** The layers table: column name → (type, description), in row order. */
    public static final Table LAYERS;
    /** The runs table: column name → (type, description), in row order. */
    public static final Table RUNS;
    /** The jacobian table (sweeps with gradients): one row per grid point and Jacobian sample. */
    public static final Table JACOBIAN;
    /** The training table (sweeps with training): one row per grid point and recorded step. */
    public static final Table TRAINING;

    /** The partition columns of a table, by its name. */
    public static List<String> partitionColumns(Table table) {
        return table.partitionColumns();
    }

    /** A column's type, nullability and meaning. */
    public record Column(DataType type, boolean nullable, String description) {}

    /**
     * A result table: its name ({@code layers}, {@code runs}), its columns in row order (an
     * unmodifiable map) and the columns it is partitioned by. Tables are told apart by name.
     */
    public static final class Table extends AbstractMap<String, Column> {
        private final String name;
        private final Map<String, Column> columns;
        private final List<String> partitionColumns;

        private Table(String name, Map<String, Column> columns, List<String> partitionColumns) {
            this.name = name;
            this.columns = Collections.unmodifiableMap(new LinkedHashMap<>(columns));
            this.partitionColumns = List.copyOf(partitionColumns);
        }

        /** The table's name, also its directory under a sweep's output and its SQL view. */
        public String name() {
            return name;
        }

        /** Columns the table is partitioned by, in directory order. */
        public List<String> partitionColumns() {
            return partitionColumns;
        }

        @Override
        public Set<Map.Entry<String, Column>> entrySet() {
            return columns.entrySet();
        }

        @Override
        public Column get(Object key) {
            return columns.get(key);
        }

        @Override
        public boolean containsKey(Object key) {
            return columns.containsKey(key);
        }

        @Override
        public boolean equals(Object o) {
            return o instanceof Table t ? name.equals(t.name) && columns.equals(t.columns) : super.equals(o);
        }

        @Override
        public int hashCode() {
            return columns.hashCode();
        }

        @Override
        public String toString() {
            return name + columns.keySet();
        }
    }

    static {
        Map<String, Column> layers = new LinkedHashMap<>();
        Map<String, Column> runs = new LinkedHashMap<>();
        keys(layers);
        col(layers, "layer", IntegerType, false, "layer index, 1 = first hidden layer");
        col(layers, "fan_in", IntegerType, false, "the layer's fan_in: input_width for layer 1, width after it");
        col(layers, "weight_rms", DoubleType, false, "root mean square of the layer's weights as used (after LSUV's rescaling)");
        col(layers, "lsuv_iterations", IntegerType, true, "LSUV rescalings made in this layer; null for other inits");
        col(layers, "act_mean", DoubleType, true, "mean of Z = φ(A) over batch × width (NaN if any Z is non-finite)");
        col(layers, "act_std", DoubleType, true, "population std (ddof 0) of Z");
        col(layers, "act_min", DoubleType, true, "min of the finite entries of Z");
        col(layers, "act_max", DoubleType, true, "max of the finite entries of Z");
        col(layers, "pre_mean", DoubleType, true, "mean of the pre-activation A = X·W");
        col(layers, "pre_std", DoubleType, true, "population std of A");
        col(layers, "pre_min", DoubleType, true, "min of the finite entries of A");
        col(layers, "pre_max", DoubleType, true, "max of the finite entries of A");
        col(layers, "pre_sq_mean", DoubleType, true, "E[A²], the mean-field second moment q");
        col(layers, "saturation_rate", DoubleType, false, "share of (sample, unit) with φ'(a) < τ·max φ'");
        col(layers, "dead_unit_rate", DoubleType, false, "share of units saturated on every sample of the batch");
        col(layers, "zero_rate", DoubleType, false, "share of Z exactly 0");
        col(layers, "nonfinite_count", LongType, false, "entries of Z that are NaN or ±Inf");
        col(layers, "pre_nonfinite_count", LongType, false, "entries of A that are NaN or ±Inf");
        col(layers, "hist_counts", createArrayType(LongType, false), false, "counts of Z per bin [e_k, e_k+1), last bin closed");
        col(layers, "hist_edges", createArrayType(DoubleType, false), false, "bins + 1 bin edges");
        col(layers, "hist_underflow", LongType, false, "Z below the first edge");
        col(layers, "hist_overflow", LongType, false, "Z above the last edge");
        col(layers, "hist_nonfinite", LongType, false, "Z NaN or ±Inf (counts + underflow + overflow + nonfinite = batch × width)");
        col(layers, "log_hist_counts", createArrayType(LongType, false), false, "counts of log10|Z| per bin");
        col(layers, "log_hist_edges", createArrayType(DoubleType, false), false, "edges in log10 units");
        col(layers, "log_hist_underflow", LongType, false, "|Z| below 10^first edge, zeros included");
        col(layers, "log_hist_overflow", LongType, false, "|Z| above 10^last edge");
        col(layers, "log_hist_nonfinite", LongType, false, "Z NaN or ±Inf");
        col(layers, "saturation_threshold", DoubleType, false, "τ used for saturation_rate and dead_unit_rate");
        col(layers, "pre_corr_mean", DoubleType, true, "mean cosine of A's rows over all pairs of samples: the measured correlation c");
        col(layers, "pre_corr_spread", DoubleType, true, "std of the cosine over the disjoint sample pairs (0,1), (2,3), …");
        col(layers, "theory_q", DoubleType, true, "mean-field E[A²]: q¹ = σ_w²·mean(x²) + σ_b², q^l = σ_w²·E[φ(a)²] + σ_b², a ~ N(0, q^(l−1)); null where the theory does not apply");
        col(layers, "theory_c", DoubleType, true, "mean-field correlation of two samples' pre-activations, traced from the input's c⁰");
        col(layers, "theory_chi1", DoubleType, true, "χ₁ = σ_w²·E[φ'(a)²] at this layer's theory_q");
        col(layers, "theory_saturation_rate", DoubleType, true, "P(a outside the saturation band), a ~ N(0, theory_q)");
        col(layers, "theory_zero_rate", DoubleType, true, "P(φ(a) = 0), a ~ N(0, theory_q)");
        col(layers, "q_rel_error", DoubleType, true, "pre_sq_mean / theory_q − 1: where finite width departs from theory");
        col(layers, "grad_sq_mean", DoubleType, true, "E[δ²] of the per-sample error δ_l = batch·∂L/∂A_l at this layer's pre-activation; null without gradients");
        col(layers, "grad_ratio", DoubleType, true, "grad_sq_mean of this layer / of the next: the measured χ₁ per layer; null for the last layer");
        col(layers, "weight_grad_norm", DoubleType, true, "‖∂L/∂W_l‖_F = ‖X_(l−1)ᵀ·δ_l‖_F / batch");
        col(layers, "weight_grad_ratio", DoubleType, true, "weight_grad_norm / ‖W_l‖_F: the relative size of a gradient step");
        col(layers, "bias_grad_norm", DoubleType, true, "‖∂L/∂b_l‖ = ‖Σ_batch δ_l‖ / batch; null without a bias");
        col(layers, "grad_log_hist_counts", createArrayType(LongType, false), true, "counts of log10|δ_l| per bin");
        col(layers, "grad_log_hist_edges", createArrayType(DoubleType, false), true, "edges in log10 units (−12 to 4, half a decade a bin)");
        col(layers, "grad_log_hist_underflow", LongType, true, "|δ_l| below 10^first edge, zeros included");
        col(layers, "grad_log_hist_overflow", LongType, true, "finite |δ_l| at or above 10^last edge");
        col(layers, "grad_nonfinite_count", LongType, true, "entries of δ_l that are NaN or ±Inf (counts + underflow + overflow + nonfinite = batch × width)");
        col(layers, "distinct_units", IntegerType, true, "distinct activation columns over the batch, equal within a relative 1e-9 (float64; 1e-4 float32) counting as one: 1 when every unit is the same (a constant init), width when none are");

        keys(runs);
        col(runs, "act_mean", DoubleType, true, "final layer's act_mean");
        col(runs, "act_std", DoubleType, true, "final layer's act_std");
        col(runs, "pre_sq_mean", DoubleType, true, "final layer's E[A²]");
        col(runs, "saturation_rate", DoubleType, false, "final layer's saturation_rate");
        col(runs, "dead_unit_rate", DoubleType, false, "final layer's dead_unit_rate");
        col(runs, "zero_rate", DoubleType, false, "final layer's zero_rate");
        col(runs, "nonfinite_count", LongType, false, "non-finite Z summed over all layers");
        col(runs, "act_std_ratio", DoubleType, true, "final act_std / first-layer act_std (< 1 vanishing, > 1 exploding)");
        col(runs, "saturation_threshold", DoubleType, false, "τ");
        col(runs, "input_sq_mean", DoubleType, false, "mean(x²) of the input as simulated, the theory's start");
        col(runs, "input_corr_mean", DoubleType, true, "mean cosine of the input's rows over all pairs: c⁰");
        col(runs, "q_star", DoubleType, true, "fixed point q* of the hidden layers' length map reached from q¹ (Infinity: q diverges; 0: it collapses)");
        col(runs, "c_star", DoubleType, true, "stable correlation fixed point at q*: 1 ordered/critical, < 1 chaotic");
        col(runs, "chi1", DoubleType, true, "χ₁ at q*: < 1 ordered (vanishing gradients), > 1 chaotic (exploding)");
        col(runs, "xi_q", DoubleType, true, "depth scale of q's approach to q*: −1/ln(dq^l/dq^(l−1) at q*)");
        col(runs, "xi_c", DoubleType, true, "depth scale of correlations: −1/ln χ_c at (q*, c*); Infinity at criticality");
        col(runs, "phase", StringType, true, "ordered, critical (|χ₁ − 1| ≤ 0.01) or chaotic");
        col(runs, "depth_over_xi_c", DoubleType, true, "depth / xi_c: beyond a few, inputs are indistinguishable (ordered) or decorrelated (chaotic)");
        col(runs, "grad_error", StringType, true, "the backward pass's error signal: normal (δ_L ~ N(0, 1)) or mse (a linear readout against a random teacher); null without gradients");
        col(runs, "grad_loss", DoubleType, true, "the loss at initialization (batch mean) the gradients are of");
        col(runs, "grad_first_over_last", DoubleType, true, "‖∂L/∂W_1‖_F / ‖∂L/∂W_L‖_F: ≫ 1 exploding towards the input, ≪ 1 vanishing");
        col(runs, "chi1_measured", DoubleType, true, "geometric mean of grad_ratio over layers min(3, L−1) … L−1: the measured χ₁; null when L = 1");
        col(runs, "final_train_loss", DoubleType, true, "training loss after the last step run (the divergence step if it diverged); null without training");
        col(runs, "final_test_loss", DoubleType, true, "test loss after the last step run");
        col(runs, "best_test_loss", DoubleType, true, "lowest finite test loss over the recorded steps; null if none was finite");
        col(runs, "baseline_test_loss", DoubleType, true, "test loss of the trivial predictor fitted on the training set (regression: the mean target; classification: the class frequencies)");
        col(runs, "steps_to_half_loss", IntegerType, true, "first recorded step whose training loss is at most half of step 0's; null if none");
        col(runs, "diverged", BooleanType, true, "a loss or gradient turned non-finite, or the training loss exceeded 1000 × step 0's: the run stopped there");
        col(runs, "diverged_at", IntegerType, true, "the step the run diverged at; null if it did not");
        col(runs, "trained", BooleanType, true, "did not diverge and final_test_loss ≤ 0.5 × baseline_test_loss");
        col(runs, "train_records", IntegerType, true, "rows of this grid point in the training table");

        Map<String, Column> jacobian = new LinkedHashMap<>();
        keys(jacobian);
        col(jacobian, "sample", IntegerType, false, "the input row (0-based) the Jacobian J = ∂X_L/∂x is taken at");
        col(jacobian, "layer", IntegerType, false, "the layer J ends at: the grid point's depth");
        col(jacobian, "sv_sq_mean", DoubleType, false, "mean of the squared singular values of J, tr(JJᵀ)/min(width, input_width)");
        col(jacobian, "sv_sq_var", DoubleType, false, "population variance of the squared singular values");
        col(jacobian, "sv_max", DoubleType, false, "largest singular value");
        col(jacobian, "sv_min", DoubleType, false, "smallest of the min(width, input_width) singular values");
        col(jacobian, "condition", DoubleType, false, "sv_max / sv_min (Infinity when sv_min = 0): 1 is dynamical isometry");
        col(jacobian, "singular_values", createArrayType(DoubleType, false), false, "all min(width, input_width) singular values, largest first");
        col(jacobian, "sv_log_hist_counts", createArrayType(LongType, false), false, "counts of log10 σ per bin");
        col(jacobian, "sv_log_hist_edges", createArrayType(DoubleType, false), false, "edges in log10 units (−8 to 4, a quarter decade a bin)");
        col(jacobian, "sv_log_hist_underflow", LongType, false, "singular values below 10^first edge, zeros included");
        col(jacobian, "sv_log_hist_overflow", LongType, false, "singular values at or above 10^last edge, and non-finite ones");

        LAYERS = new Table("layers", layers, PARTITION_COLUMNS);
        RUNS = new Table("runs", runs, RUNS_PARTITION_COLUMNS);
        JACOBIAN = new Table("jacobian", jacobian, RUNS_PARTITION_COLUMNS);

        Map<String, Column> training = new LinkedHashMap<>();
        keys(training);
        col(training, "step", IntegerType, false, "optimizer steps taken (0: at initialization)");
        col(training, "train_loss", DoubleType, true, "loss over the whole training set at these weights (NaN/Infinity when not finite)");
        col(training, "test_loss", DoubleType, true, "loss over the whole test set");
        col(training, "accuracy", DoubleType, true, "test accuracy (classification); null for regression");
        col(training, "train_accuracy", DoubleType, true, "training accuracy (classification); null for regression");
        col(training, "grad_norm", createArrayType(DoubleType, false), false, "per layer ‖∂L/∂W_l‖_F of the minibatch gradient at these weights (the one the next step applies)");
        col(training, "update_ratio", createArrayType(DoubleType, true), false, "per layer ‖ΔW_l‖_F / ‖W_l‖_F of the last update; nulls at step 0");
        col(training, "distinct_units", createArrayType(IntegerType, false), false, "per layer units whose activation columns differ from every other unit's beyond a relative 1e-9 (float64; 1e-4 float32) over the first 1024 training rows");
        col(training, "nonfinite", BooleanType, false, "a loss or gradient norm of this record is NaN or infinite");
        TRAINING = new Table("training", training, RUNS_PARTITION_COLUMNS);
    }

    private static void keys(Map<String, Column> t) {
        col(t, "sweep", StringType, false, "the spec's name");
        col(t, "run_id", StringType, false, "grid point id: hash of every coordinate below");
        col(t, "chain_id", StringType, false, "the simulated chain the point reads (same coordinates but depth)");
        col(t, "init", StringType, false, "initializer (partition column)");
        col(t, "init_value", DoubleType, true, "constant's value (ones: 1), identity's factor; null otherwise");
        col(t, "init_params", StringType, false, "the initializer with every parameter it used, e.g. kaiming_normal(gain=1.4142135623730951, mode=fan_in)");
        col(t, "gain", DoubleType, true, "gain used (xavier_*, kaiming_*, orthogonal, lsuv; gain: auto resolved); null for other inits");
        col(t, "activation", StringType, false, "activation (partition column)");
        col(t, "activation_param", DoubleType, true, "activation parameter (leaky_relu slope); null if none");
        col(t, "init_std", DoubleType, true, "std axis value; null for inits that do not use it");
        col(t, "weight_std", DoubleType, true, "nominal weight std-dev of the hidden layers by the init's formula; null where none is defined (see layers.weight_rms)");
        col(t, "depth", IntegerType, false, "number of layers of the grid point");
        col(t, "seed", LongType, false, "seed axis value");
        col(t, "master_seed", LongType, false, "the sweep's master seed");
        col(t, "width", IntegerType, false, "units per layer: every layer's fan_out, and fan_in of layers 2..depth");
        col(t, "batch", IntegerType, false, "input rows");
        col(t, "input", StringType, false, "input: normal, uniform, or data:<file> for a data file");
        col(t, "input_correlation", DoubleType, false, "c⁰: pairwise correlation of a normal input's rows (a shared row); 0 = independent");
        col(t, "input_width", IntegerType, false, "columns of the input, the first layer's fan_in");
        col(t, "bias_std", DoubleType, false, "std-dev of every layer's bias, b ~ N(0, bias_std²); 0 = no bias");
        col(t, "dtype", StringType, false, "floating-point type of the network: float64 or float32");
        col(t, "optimizer", StringType, true, "the training run's optimizer: sgd, momentum or adam; null without training");
        col(t, "lr", DoubleType, true, "the training run's learning rate; null without training");
    }

    private static void col(Map<String, Column> t, String name, DataType type, boolean nullable, String description) {
        t.put(name, new Column(type, nullable, description));
    }

    /** The Spark struct of a table, in row order, with descriptions as column comments. */
    public static StructType struct(Map<String, Column> table) {
        List<StructField> fields = new ArrayList<>();
        table.forEach((name, c) -> fields.add(new StructField(name, c.type(), c.nullable(), Metadata.empty())
                .withComment(c.description())));
        return new StructType(fields.toArray(new StructField[0]));
    }

    /** Index of a column in row order. */
    public static int index(Map<String, Column> table, String name) {
        int i = 0;
        for (String k : table.keySet()) {
            if (k.equals(name)) {
                return i;
            }
            i++;
        }
        throw new IllegalArgumentException("no column " + name);
    }
}
