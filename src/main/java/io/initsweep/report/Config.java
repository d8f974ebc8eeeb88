package io.initsweep.report;

import java.math.BigDecimal;
import java.math.MathContext;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.Set;
import org.apache.spark.sql.Row;

/**
 * A set of key-column values, e.g. one configuration (init, activation, init_std, width, ...) or
 * one panel of a figure. Values are the rows' own (String, Integer, Long, Double or null), so two
 * configs are equal exactly when SQL grouping would put them together.
 */
public record Config(List<String> columns, List<Object> values) {
    public Config {
        if (columns.size() != values.size()) {
            throw new IllegalArgumentException("columns " + columns + " and values " + values + " differ in length");
        }
        columns = List.copyOf(columns);
        values = Collections.unmodifiableList(new ArrayList<>(values));
    }

    /** The values of {@code columns} in {@code row}. */
    static Config of(Row row, List<String> columns) {
        List<Object> v = new ArrayList<>(columns.size());
        for (String c : columns) {
            v.add(row.get(row.fieldIndex(c)));
        }
        return new Config(columns, v);
    }

    public Object get(String column) {
        int i = columns.indexOf(column);
        if (i < 0) {
            throw new IllegalArgumentException("no column " + column + " in " + columns);
        }
        return values.get(i);
    }

    boolean has(String column) {
        return columns.contains(column);
    }

    /** The same values restricted to {@code keep}, in this config's order. */
    Config only(List<String> keep) {
        List<String> c = new ArrayList<>();
        List<Object> v = new ArrayList<>();
        for (int i = 0; i < columns.size(); i++) {
            if (keep.contains(columns.get(i))) {
                c.add(columns.get(i));
                v.add(values.get(i));
            }
        }
        return new Config(c, v);
    }

    /**
     * A short human label: the init (with its value), the activation (with its parameter), the std
     * (init_std, or the effective weight_std for inits that derive it), then {@code name value} for
     * each other column in {@code shown}.
     */
    String label(Set<String> shown) {
        List<String> parts = new ArrayList<>();
        if (has(Keys.INIT)) {
            Object value = has(Keys.INIT_VALUE) ? get(Keys.INIT_VALUE) : null;
            parts.add(get(Keys.INIT) + (value != null ? "(" + format(value) + ")" : ""));
        }
        if (has(Keys.ACTIVATION)) {
            Object param = has(Keys.ACTIVATION_PARAM) ? get(Keys.ACTIVATION_PARAM) : null;
            parts.add(get(Keys.ACTIVATION) + (param != null ? "(" + format(param) + ")" : ""));
        }
        if (has(Keys.INIT_STD) && get(Keys.INIT_STD) != null) {
            parts.add("std " + format(get(Keys.INIT_STD)));
        } else if (has(Keys.WEIGHT_STD) && get(Keys.WEIGHT_STD) != null) {
            parts.add("weight_std " + format(get(Keys.WEIGHT_STD)));
        }
        for (int i = 0; i < columns.size(); i++) {
            String c = columns.get(i);
            // an init setting the init does not have (gain of a normal init) is left out, not "gain null"
            boolean absentSetting = values.get(i) == null && Keys.describesInit(c);
            if (shown.contains(c) && !Keys.LABELLED.contains(c) && !Keys.RESTATED.contains(c) && !absentSetting) {
                parts.add(c + " " + format(values.get(i)));
            }
        }
        return String.join(", ", parts);
    }

    /**
     * {@code base}'s label of each config, made distinct where two coincide: each gets {@code name
     * value} of the columns whose values differ within its group, restated columns only if that is
     * not enough.
     */
    static List<String> distinctLabels(List<Config> configs, java.util.function.Function<Config, String> base) {
        List<String> labels = new ArrayList<>(configs.stream().map(base).toList());
        for (boolean restated : new boolean[] {false, true}) {
            java.util.Map<String, List<Integer>> groups = new java.util.LinkedHashMap<>();
            for (int i = 0; i < labels.size(); i++) {
                groups.computeIfAbsent(labels.get(i), k -> new ArrayList<>()).add(i);
            }
            for (List<Integer> group : groups.values()) {
                if (group.size() < 2) {
                    continue;
                }
                Config first = configs.get(group.get(0));
                for (String c : first.columns()) {
                    if (Keys.RESTATED.contains(c) != restated) {
                        continue;
                    }
                    boolean differs = group.stream().map(i -> configs.get(i).has(c) ? configs.get(i).get(c) : null).distinct()
                            .count() > 1;
                    if (differs) {
                        for (int i : group) {
                            labels.set(i, labels.get(i) + ", " + c + " " + format(configs.get(i).get(c)));
                        }
                    }
                }
            }
        }
        return labels;
    }

    /** Doubles to 4 significant digits without an exponent; everything else as its string. */
    static String format(Object v) {
        if (v == null) {
            return "null";
        }
        if (v instanceof Double d) {
            if (!Double.isFinite(d) || d == 0) {
                return d == 0 ? "0" : d.toString();
            }
            return new BigDecimal(d).round(new MathContext(4)).stripTrailingZeros().toPlainString();
        }
        return v.toString();
    }
}
