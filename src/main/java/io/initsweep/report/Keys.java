package io.initsweep.report;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.spark.sql.Column;
import org.apache.spark.sql.Row;
import org.apache.spark.sql.SparkSession;
import org.apache.spark.sql.functions;

/**
 * The grid-point coordinates of the registered {@code runs} and {@code layers} views, read from
 * their schemas rather than listed here: both tables start with the same key columns and then
 * diverge ({@code layers} goes on with {@code layer}, {@code runs} with the final layer's values),
 * so the keys are the longest common prefix of the two column lists. A coordinate added to the
 * tables later (a gain, a new network axis) becomes part of every configuration without a change
 * here.
 */
public record Keys(List<String> all, Map<String, Long> distinct) {
    public static final String RUN_ID = "run_id";
    public static final String CHAIN_ID = "chain_id";
    public static final String SEED = "seed";
    public static final String DEPTH = "depth";
    public static final String INIT = "init";
    public static final String INIT_VALUE = "init_value";
    public static final String INIT_STD = "init_std";
    public static final String WEIGHT_STD = "weight_std";
    public static final String ACTIVATION = "activation";
    public static final String ACTIVATION_PARAM = "activation_param";

    public static final String GAIN = "gain";
    public static final String INIT_PARAMS = "init_params";

    /** Identify a grid point or its chain, not a configuration. */
    static final Set<String> IDENTIFIERS = Set.of(RUN_ID, CHAIN_ID, SEED);
    /** Columns {@link Config#label} always names in its own way. */
    static final Set<String> LABELLED = Set.of(INIT, INIT_VALUE, ACTIVATION, ACTIVATION_PARAM, INIT_STD, WEIGHT_STD);
    /** Text that restates other columns (the init with its parameters): named only to tell configurations apart. */
    static final Set<String> RESTATED = Set.of(INIT_PARAMS);

    /**
     * Whether a key column describes the initializer: {@code init}, its {@code gain} and
     * {@code weight_std}, and every {@code init_*} column (init_std, init_value, init_params, and
     * any parameter added later under that prefix). These make the lines of a layer profile and
     * the columns of a heatmap; every other key makes panels.
     */
    public static boolean describesInit(String column) {
        return column.equals(INIT) || column.equals(GAIN) || column.equals(WEIGHT_STD) || column.startsWith("init_");
    }

    public Keys {
        all = List.copyOf(all);
        distinct = Map.copyOf(distinct);
    }

    /**
     * Reads the key columns from the views' schemas and counts the distinct values of each (but
     * run_id and chain_id) in runs.
     */
    public static Keys read(SparkSession spark, String runsView, String layersView) {
        String[] runs = spark.table(runsView).columns();
        String[] layers = spark.table(layersView).columns();
        List<String> keys = new ArrayList<>();
        for (int i = 0; i < Math.min(runs.length, layers.length) && runs[i].equals(layers[i]); i++) {
            keys.add(runs[i]);
        }
        for (String required : List.of(RUN_ID, SEED, DEPTH, INIT, ACTIVATION)) {
            if (!keys.contains(required)) {
                throw new IllegalStateException("the runs and layers views share no key column " + required + "; keys found: "
                        + keys);
            }
        }
        // exact distinct values per column (nulls counted as one value) in one plain aggregate:
        // collect_set is cheap for key columns, and avoids the plan count(DISTINCT) needs per column
        List<String> counted = keys.stream().filter(k -> !k.equals(RUN_ID) && !k.equals(CHAIN_ID)).toList();
        List<Column> counts = new ArrayList<>();
        for (String k : counted) {
            counts.add(functions.size(functions.collect_set(functions.col(k)))
                    .plus(functions.max(functions.col(k).isNull().cast("int"))).alias(k));
        }
        Row row = spark.table(runsView).agg(counts.get(0), counts.subList(1, counts.size()).toArray(new Column[0])).first();
        Map<String, Long> distinct = new LinkedHashMap<>();
        for (String k : counted) {
            distinct.put(k, ((Number) row.get(row.fieldIndex(k))).longValue());
        }
        return new Keys(keys, distinct);
    }

    /** Every key column that tells configurations apart: all but run_id, chain_id and seed. */
    public List<String> config() {
        return without(IDENTIFIERS);
    }

    /** The key columns minus {@code drop}, in schema order. */
    List<String> without(Set<String> drop) {
        return all.stream().filter(c -> !drop.contains(c)).toList();
    }

    /** The configuration columns that describe the initializer, init excepted: one initializer's settings. */
    List<String> initSettings() {
        return config().stream().filter(c -> describesInit(c) && !c.equals(INIT)).toList();
    }

    /** Key columns that take more than one value in the sweep, identifiers excluded. */
    public Set<String> varying() {
        Set<String> v = new java.util.LinkedHashSet<>();
        for (String c : config()) {
            if (distinct.getOrDefault(c, 1L) > 1) {
                v.add(c);
            }
        }
        return v;
    }
}
