package io.initsweep.sim;

import java.util.ArrayList;
import java.util.List;
import java.util.Locale;

/**
 * The documentation derived from the registries: the initializer and activation tables of
 * {@code docs/schemes.md} and the scheme list {@code docs/schemes.csv} that the numpy reference
 * scripts read. {@code initsweep catalogue --markdown} and {@code --csv} print them; a test fails
 * when the committed files differ.
 */
public final class SchemeDocs {
    /** The threshold the activation table's saturation column is computed at (the default τ). */
    public static final double TAU = StatsConfig.DEFAULT_SATURATION_THRESHOLD;

    private SchemeDocs() {}

    /** {@code docs/schemes.md}: both tables, with a line saying how to regenerate them. */
    public static String markdown() {
        StringBuilder md = new StringBuilder();
        md.append("# Schemes\n\n");
        md.append("<!-- Generated from the registries by `bin/initsweep catalogue --markdown > docs/schemes.md`;"
                + " SchemeDocsTest fails when this file differs. Edit the scheme classes, not this file. -->\n\n");
        md.append("## Initializers\n\n");
        md.append("Specs name them bare (`he_normal`) or with parameters (`{kaiming_normal: {mode: fan_out}}`), by their"
                + " name or an alias (rows always carry the name).\n\n");
        md.append("| name | weights | parameters (default, allowed) | matches | aliases |\n");
        md.append("|---|---|---|---|---|\n");
        for (InitScheme init : Initializer.values()) {
            List<String> params = new ArrayList<>();
            if (init.usesStdAxis()) {
                params.add("std axis");
            }
            for (InitParam p : init.params()) {
                params.add("`" + p.name() + "` (" + (p.required() ? "required" : p.defaultText()) + ", " + p.allowed()
                        + "): " + p.meaning());
            }
            md.append(row("`" + init.id() + "`", init.weights(), params.isEmpty() ? "—" : String.join("; ", params),
                    init.matches(), aliases(init.aliases())));
        }
        md.append("\n## Activations\n\n");
        md.append("Specs name them bare (`relu`) or with their parameter (`{leaky_relu: {slope: 0.2}}`), by their name or"
                + " an alias (rows always carry the name). Histogram:"
                + " the default window of φ(a) at the default parameter. Saturated: where φ'(a) < τ·max φ' at τ = "
                + number(TAU) + " and the default parameter. Gain: PyTorch's `calculate_gain` (— where it has none,"
                + " so `gain: auto` is refused).\n\n");
        md.append("| name | φ(a) | parameter (default, range) | PyTorch / Keras / JAX | histogram | saturated at τ = "
                + number(TAU) + " | calculate_gain | aliases |\n");
        md.append("|---|---|---|---|---|---|---|---|\n");
        for (Activation act : Activation.values()) {
            double p = act.defaultParam();
            SchemeParam sp = act.parameter();
            String param = sp == null ? "—"
                    : "`" + sp.name() + "` (" + number(sp.defaultValue()) + ", in [" + number(sp.min()) + ", "
                            + number(sp.max()) + "]): " + sp.meaning();
            double gain = act.gain(p);
            md.append(row("`" + act.id() + "`", act.formula(), param, act.frameworks(),
                    "[" + number(act.defaultHistogramLo(p)) + ", " + number(act.defaultHistogramHi()) + "]",
                    saturated(act.saturationBand(TAU, p)), Double.isNaN(gain) ? "—" : fixed(gain),
                    aliases(act.aliases())));
        }
        return md.toString();
    }

    /**
     * {@code docs/schemes.csv}: {@code kind,name,parameters,aliases}, one line per registered
     * scheme, parameters as {@code name=default} joined by {@code ;} (a required one without
     * {@code =}), aliases joined by {@code ;}.
     */
    public static String csv() {
        StringBuilder csv = new StringBuilder("kind,name,parameters,aliases\n");
        for (InitScheme init : Initializer.values()) {
            List<String> params = new ArrayList<>();
            for (InitParam p : init.params()) {
                params.add(p.required() ? p.name() : p.name() + "=" + p.defaultText());
            }
            csv.append("init,").append(init.id()).append(',').append(String.join(";", params)).append(',')
                    .append(String.join(";", init.aliases())).append('\n');
        }
        for (Activation act : Activation.values()) {
            SchemeParam sp = act.parameter();
            csv.append("activation,").append(act.id()).append(',')
                    .append(sp == null ? "" : sp.name() + "=" + number(sp.defaultValue())).append(',')
                    .append(String.join(";", act.aliases())).append('\n');
        }
        return csv.toString();
    }

    /**
     * {@code jobs/catalogue.yaml}: every initializer with every activation, small, each scheme by
     * its declared catalogue entries ({@link InitScheme#catalogue()}, {@link Activation#catalogue()}),
     * in registry order; the rest of the spec is fixed here.
     */
    public static String catalogueYaml() {
        List<InitScheme.CatalogueEntry> inits = new ArrayList<>();
        int stdAxis = 0;
        for (InitScheme init : Initializer.values()) {
            inits.addAll(init.catalogue());
            stdAxis += init.usesStdAxis() ? init.catalogue().size() : 0;
        }
        StringBuilder y = new StringBuilder();
        y.append("# Generated from the registries by `bin/initsweep catalogue --yaml > jobs/catalogue.yaml`; a test fails\n")
                .append("# when this file differs. A scheme's entries are declared with the scheme.\n")
                .append("# Every initializer with every activation, small: the catalogue exercised end to end.\n")
                .append("# ").append(inits.size()).append(" init entries (").append(stdAxis)
                .append(" fixed-scale ones cross both stds) × every activation × 2 depths × 2 dtypes,\n")
                .append("# a 48-wide input into 32-wide layers (fan_in ≠ fan_out in layer 1) with a small bias.\n")
                .append("name: catalogue\n")
                .append("seed: 7\n")
                .append("network: { width: 32, batch: 64, input_width: 48, bias_std: 0.1, dtype: [float64, float32] }\n")
                .append("grid:\n")
                .append("  init:\n");
        for (InitScheme.CatalogueEntry e : inits) {
            if (e.comment() != null) {
                y.append("    # ").append(e.comment()).append('\n');
            }
            y.append("    - ").append(e.spec()).append('\n');
        }
        y.append("  activation:\n");
        for (Activation act : Activation.values()) {
            for (String spec : act.catalogue()) {
                y.append("    - ").append(spec).append('\n');
            }
        }
        y.append("  std: [0.1, 1.0]\n")
                .append("  depth: [3, 6]\n")
                .append("  seed: [0]\n")
                .append("stats: { bins: 30, saturation_threshold: 0.05 }\n")
                .append("output: out/catalogue\n");
        return y.toString();
    }

    /** A table cell of aliases: each in backticks, or — for none. */
    private static String aliases(List<String> aliases) {
        return aliases.isEmpty() ? "—" : String.join(", ", aliases.stream().map(a -> "`" + a + "`").toList());
    }

    private static String row(String... cells) {
        StringBuilder sb = new StringBuilder("|");
        for (String c : cells) {
            sb.append(' ').append(c.replace("|", "\\|")).append(" |");
        }
        return sb.append('\n').toString();
    }

    /** The saturated set {a < lo} ∪ {a > hi} in words. */
    static String saturated(double[] band) {
        String low = lower(band[0]);
        String high = upper(band[1]);
        if (low == null && high == null) {
            return "never";
        }
        if (low != null && high != null && band[0] == -band[1] && band[0] != Double.MIN_VALUE) {
            boolean inclusive = isNextToInteger(band[1], false);
            return "|a| " + (inclusive ? "≥ " + number(Math.nextUp(band[1])) : "> " + fixed(band[1]));
        }
        if (low != null && high != null) {
            return low + " or " + high;
        }
        return low != null ? low : high;
    }

    private static String lower(double lo) {
        if (lo == Double.NEGATIVE_INFINITY) {
            return null;
        }
        if (lo == Double.POSITIVE_INFINITY) {
            return "always";
        }
        return isNextToInteger(lo, true) ? "a ≤ " + number(Math.nextDown(lo)) : "a < " + fixed(lo);
    }

    private static String upper(double hi) {
        if (hi == Double.POSITIVE_INFINITY) {
            return null;
        }
        return isNextToInteger(hi, false) ? "a ≥ " + number(Math.nextUp(hi)) : "a > " + fixed(hi);
    }

    /** Whether x is the double just above (or below) an integer: a cut that means "≤ k" (or "≥ k"). */
    private static boolean isNextToInteger(double x, boolean above) {
        double k = above ? Math.nextDown(x) : Math.nextUp(x);
        return k == Math.rint(k) && x != k;
    }

    /** Five significant digits, a true minus sign. */
    static String fixed(double x) {
        String s = new java.math.BigDecimal(x).round(new java.math.MathContext(5)).stripTrailingZeros().toPlainString();
        return s.replace('-', '−');
    }

    /** The shortest decimal of x, a true minus sign. */
    static String number(double x) {
        return InitScheme.number(x).replace('-', '−').toLowerCase(Locale.ROOT);
    }
}
