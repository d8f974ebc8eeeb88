package io.initsweep.report;

import com.fasterxml.jackson.databind.JsonNode;
import io.initsweep.report.ReportData.GradientHeatmap;
import io.initsweep.report.ReportData.GradientLine;
import io.initsweep.report.ReportData.GradientProfile;
import io.initsweep.report.ReportData.Gradients;
import io.initsweep.report.ReportData.Heatmap;
import io.initsweep.report.ReportData.HistogramRow;
import io.initsweep.report.ReportData.JacobianSpectrum;
import io.initsweep.report.ReportData.Histograms;
import io.initsweep.report.ReportData.LayerHistogram;
import io.initsweep.report.ReportData.Profile;
import io.initsweep.report.ReportData.ProfileLine;
import io.initsweep.report.ReportData.PhaseDiagram;
import io.initsweep.report.ReportData.Theory;
import io.initsweep.report.ReportData.TheoryLine;
import io.initsweep.report.ReportData.TheoryProfile;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * Writes the report page: one HTML document with its style inline and every figure a PNG data:
 * URI, so it opens offline and loads nothing (its Content-Security-Policy forbids any fetch).
 */
public final class HtmlReport {
    private final StringBuilder html = new StringBuilder(1 << 20);
    private int figures;

    private HtmlReport() {}

    /**
     * The page for the given data; {@code figures()} of the result counts its images. The gradients
     * section is there only when {@code gradients} has something to draw.
     */
    static Page render(String sweepDir, Keys keys, ReportData.Summary summary, Histograms histograms, List<Heatmap> heatmaps,
            List<Profile> profiles, Gradients gradients, Theory theory, ReportData.Training training, String generated) {
        HtmlReport r = new HtmlReport();
        JsonNode m = summary.manifest();
        String sweep = text(m.path("sweep"), "sweep");
        Set<String> varying = keys.varying();
        r.head(sweep);
        r.html.append("<header><h1>initsweep report: <code>").append(esc(sweep)).append("</code></h1>\n<p class=\"lead\">")
                .append(esc(text(m.path("counts").path("grid_points"), "?"))).append(" grid points from <code>")
                .append(esc(sweepDir)).append("</code>. Forward passes from initialization: how each initializer keeps"
                        + " (or loses) the spread of every layer's activations.</p>\n")
                .append("<nav><a href=\"#histograms\">Activations per layer</a> · <a href=\"#rates\">Saturation and dead"
                        + " units</a> · <a href=\"#profiles\">Layer profiles</a> · ")
                .append(gradients.present() ? "<a href=\"#gradients\">Gradients at initialization</a> · " : "")
                .append(theory.present() ? "<a href=\"#theory\">Theory</a> · " : "")
                .append(training.present() ? "<a href=\"#training\">Training</a> · " : "")
                .append("<a href=\"#sweep\">Sweep</a></nav></header>\n");
        r.histograms(histograms, varying);
        r.heatmaps(heatmaps, varying);
        r.profiles(profiles, varying);
        if (gradients.present()) {
            r.gradients(gradients, profiles, varying);
        }
        if (theory.present()) {
            r.theory(theory, varying);
        }
        if (training.present()) {
            r.training(training, varying);
        }
        r.summary(m, keys);
        r.html.append("<footer>Generated ").append(esc(generated)).append(" by <code>initsweep report</code> (")
                .append(esc(text(m.path("code").path("version"), "?"))).append(") with XChart; charts read the Parquet"
                        + " tables through the same views as <code>initsweep sql</code>.</footer>\n</body>\n</html>\n");
        return new Page(r.html.toString(), r.figures);
    }

    /** A rendered page and how many figures it holds. */
    record Page(String html, int figures) {}

    private void head(String sweep) {
        html.append("""
                <!DOCTYPE html>
                <html lang="en">
                <head>
                <meta charset="utf-8">
                <meta http-equiv="Content-Security-Policy" content="default-src 'none'; img-src data:; style-src 'unsafe-inline'">
                <meta name="viewport" content="width=device-width, initial-scale=1">
                <link rel="icon" href="data:,">
                """);
        html.append("<title>initsweep report: ").append(esc(sweep)).append("</title>\n");
        html.append("""
                <style>
                body { font: 15px/1.45 "DejaVu Sans", Helvetica, Arial, sans-serif; color: #1b1b1b; background: #fff;
                       margin: 0 auto; padding: 0 24px 40px; max-width: 1500px; }
                h1 { font-size: 26px; margin: 24px 0 4px; }
                h2 { font-size: 20px; margin: 36px 0 6px; border-bottom: 1px solid #ddd; padding-bottom: 4px; }
                h3 { font-size: 15px; margin: 18px 0 4px; }
                code, pre { font-family: "DejaVu Sans Mono", Menlo, Consolas, monospace; font-size: 13px; }
                pre { background: #f6f8fa; padding: 10px 12px; overflow-x: auto; border: 1px solid #e3e3e3; }
                nav a { color: #0b5cad; }
                .lead { color: #444; margin: 0 0 8px; }
                .note { color: #555; font-size: 14px; max-width: 1100px; }
                .meta { color: #666; font-weight: normal; font-size: 13px; }
                table.summary { border-collapse: collapse; margin: 8px 0 12px; }
                table.summary th { text-align: left; padding: 3px 16px 3px 0; color: #444; font-weight: 600; vertical-align: top; }
                table.summary td { padding: 3px 0; }
                .cells { display: flex; flex-wrap: wrap; gap: 2px; }
                .panels { display: flex; flex-wrap: wrap; gap: 6px 28px; }
                figure { margin: 0; }
                figcaption { font-size: 12px; color: #a33; text-align: center; min-height: 1em; }
                img { display: block; }
                footer { margin-top: 40px; color: #777; font-size: 13px; }
                </style>
                </head>
                <body>
                """);
    }

    private void summary(JsonNode m, Keys keys) {
        html.append("<section id=\"sweep\">\n<h2>Sweep</h2>\n<table class=\"summary\">\n");
        JsonNode counts = m.path("counts");
        JsonNode times = m.path("times");
        JsonNode engine = m.path("engine");
        JsonNode code = m.path("code");
        JsonNode platform = m.path("platform");
        row("sweep", text(m.path("sweep"), "—"));
        row("output", text(m.path("output"), "—"));
        row("grid", text(counts.path("grid_points"), "?") + " grid points in " + text(counts.path("chains"), "?")
                + " chains over " + text(counts.path("partitions"), "?") + " partitions; " + text(counts.path("runs_rows"), "?")
                + " runs rows, " + text(counts.path("layers_rows"), "?") + " layers rows");
        List<String> axes = new ArrayList<>();
        for (String k : keys.config()) {
            long n = keys.distinct().getOrDefault(k, 1L);
            if (n > 1) {
                axes.add(k + " ×" + n);
            }
        }
        long seeds = keys.distinct().getOrDefault(Keys.SEED, 1L);
        axes.add(Keys.SEED + " ×" + seeds);
        row("axes (distinct values)", String.join(", ", axes));
        row("time", "wall " + seconds(times.path("wall_seconds")) + ", kernel " + seconds(times.path("kernel_seconds"))
                + " (summed over tasks); started " + text(times.path("started"), "?") + ", finished "
                + text(times.path("finished"), "?"));
        row("BLAS", join(engine.path("blas")));
        row("kernels", join(engine.path("kernel_route")));
        row("Spark", text(engine.path("spark_version"), "?") + ", master " + text(engine.path("master"), "?")
                + ", default parallelism " + text(engine.path("default_parallelism"), "?") + ", app "
                + text(engine.path("app_id"), "?"));
        row("master seed", text(m.path("master_seed"), "?"));
        String commit = text(code.path("git_commit"), "unknown");
        row("code", "initsweep " + text(code.path("version"), "?") + ", git " + commit.substring(0, Math.min(12, commit.length()))
                + (code.path("git_dirty").asBoolean(false) ? " (dirty)" : ""));
        row("platform", "Java " + text(platform.path("java_version"), "?") + " (" + text(platform.path("java_vendor"), "?")
                + "), " + text(platform.path("os_name"), "?") + " " + text(platform.path("os_arch"), "?"));
        for (JsonNode d : m.path("spec").path("data_inputs")) {
            row("input data", text(d.path("path"), "?") + ": " + text(d.path("rows"), "?") + " rows × "
                    + text(d.path("columns"), "?") + " columns, sha256 " + text(d.path("sha256"), "?"));
        }
        html.append("</table>\n<h3>Job spec <span class=\"meta\">sha256 ").append(esc(text(m.path("spec").path("sha256"), "?")))
                .append("</span></h3>\n<pre>").append(esc(text(m.path("spec").path("text"), ""))).append("</pre>\n</section>\n");
    }

    private void histograms(Histograms h, Set<String> varying) {
        html.append("<section id=\"histograms\">\n<h2>Activations per layer</h2>\n<p class=\"note\">Each row is one grid"
                + " point: the histogram of every layer's activations Z = φ(A) over the whole batch (<code>hist_counts</code>"
                + " over <code>hist_edges</code> of the layers table), layer 1 on the left. Bars are counts; the y axis is"
                + " shared along a row. Values outside the histogram's range are counted, not drawn: the share is given"
                + " under a layer when there are any.");
        if (h.fallback()) {
            html.append(" No grid point matches the seed figures' configurations (normal std 1 and 0.01, xavier_normal,"
                    + " kaiming_normal with sigmoid, tanh, relu at seed 0), so the first ").append(h.rows().size())
                    .append(" configurations are shown.");
        } else {
            html.append(" Chosen by <code>").append(esc(h.predicate())).append("</code> (");
            html.append(h.matchingConfigs()).append(" configuration").append(h.matchingConfigs() == 1 ? "" : "s");
            if (h.rows().size() < h.matchingConfigs()) {
                html.append(", the first ").append(h.rows().size()).append(" shown");
            }
            html.append("); the smallest matching seed and the largest depth ≤ ").append(ReportData.MAX_LAYERS_SHOWN)
                    .append(" of each. Choose others with <code>initsweep report --histograms CONDITION</code>.");
        }
        html.append("</p>\n");
        for (HistogramRow row : h.rows()) {
            String label = row.config().label(varying);
            html.append("<div class=\"hrow\">\n<h3>").append(esc(label)).append(" <span class=\"meta\">seed ").append(row.seed())
                    .append(" · depth ").append(row.depth());
            if (row.layers().size() < row.depth()) {
                html.append(" · ").append(row.layers().size()).append(" of ").append(row.depth()).append(" layers shown");
            }
            html.append(" · run ").append(esc(row.runId())).append("</span></h3>\n<div class=\"cells\">\n");
            double yMax = Charts.rowYMax(row);
            for (LayerHistogram layer : row.layers()) {
                String caption = outsideCaption(layer);
                html.append("<figure>");
                image(Charts.histogram(layer, yMax), label + ", layer " + layer.layer() + ": histogram of activations");
                html.append("<figcaption>").append(esc(caption)).append("</figcaption></figure>\n");
            }
            html.append("</div>\n</div>\n");
        }
        html.append("</section>\n");
    }

    /** "2.5% outside [0, 1]": the share of a layer's values its histogram does not draw; empty when none. */
    static String outsideCaption(LayerHistogram layer) {
        if (layer.outside() == 0) {
            return "";
        }
        return percent(layer.outside() / (double) layer.total()) + " outside [" + Config.format(layer.edges()[0]) + ", "
                + Config.format(layer.edges()[layer.edges().length - 1]) + "]";
    }

    private void heatmaps(List<Heatmap> maps, Set<String> varying) {
        html.append("<section id=\"rates\">\n<h2>Saturation and dead units</h2>\n<p class=\"note\">The final layer's"
                + " (layer = depth, the runs table) <b>saturation_rate</b>, the share of (sample, unit) pairs where φ′(a) &lt; τ ·"
                + " max φ′, and <b>dead_unit_rate</b>, the share of units saturated on every sample, over the init's"
                + " setting (<code>init_std</code>, \"derived\" for inits that compute their own std; other init parameters"
                + " where they vary) and the depth, averaged over seeds."
                + " Colours run from 0 (white) to 1 (dark red) in every panel.</p>\n<div class=\"panels\">\n");
        for (Heatmap map : maps) {
            String label = map.panel().label(varying);
            long seeds = 0;
            for (long[] col : map.seeds()) {
                for (long n : col) {
                    seeds = Math.max(seeds, n);
                }
            }
            html.append("<div class=\"panel\">\n<h3>").append(esc(label)).append(" <span class=\"meta\">mean over ").append(seeds)
                    .append(" seed").append(seeds == 1 ? "" : "s").append("</span></h3>\n<div class=\"cells\">");
            image(Charts.heatmap(map, "saturation_rate", map.saturation()), label + ": saturation rate by init_std and depth");
            image(Charts.heatmap(map, "dead_unit_rate", map.deadUnits()), label + ": dead-unit rate by init_std and depth");
            html.append("</div>\n</div>\n");
        }
        html.append("</div>\n</section>\n");
    }

    private void profiles(List<Profile> profiles, Set<String> varying) {
        html.append("<section id=\"profiles\">\n<h2>Layer profiles</h2>\n<p class=\"note\"><b>act_std</b>, the std of Z"
                + " = φ(A), and <b>pre_sq_mean</b>, E[A²] (the mean-field q), across layers for every initializer setting,"
                + " averaged over seeds, on a log scale: flat lines keep the signal, falling ones vanish, rising ones explode."
                + " Zeros and non-finite values cannot be drawn on a log scale; they are listed under the chart.</p>\n");
        for (Profile p : profiles) {
            String label = p.panel().label(varying);
            long seeds = p.lines().stream().mapToLong(ProfileLine::seeds).max().orElse(0);
            html.append("<h3>").append(esc(label)).append(" <span class=\"meta\">mean over ").append(seeds).append(" seed")
                    .append(seeds == 1 ? "" : "s").append("</span></h3>\n<div class=\"panels\">");
            List<String> omittedStd = new ArrayList<>();
            List<String> omittedQ = new ArrayList<>();
            image(Charts.profile("act_std — " + label, "act_std", p.lines(), ProfileLine::actStd, varying, omittedStd),
                    label + ": act_std by layer, one line per initializer");
            image(Charts.profile("pre_sq_mean — " + label, "pre_sq_mean", p.lines(), ProfileLine::preSqMean, varying, omittedQ),
                    label + ": pre_sq_mean by layer, one line per initializer");
            html.append("</div>\n");
            omitted("act_std", omittedStd);
            omitted("pre_sq_mean", omittedQ);
        }
        html.append("</section>\n");
    }

    /**
     * Per panel the act_std profile (as in the layer profiles) next to E[δ²] across layers, then
     * the vanishing/exploding heatmaps of log10(grad_first_over_last).
     */
    private void gradients(Gradients g, List<Profile> profiles, Set<String> varying) {
        html.append("<section id=\"gradients\">\n<h2>Gradients at initialization</h2>\n<p class=\"note\">The backward pass"
                + " at initialization, from the error δ_L at the last layer down (<code>gradients</code> in the spec)."
                + " Left, <b>act_std</b> across layers as in the layer profiles; right, <b>grad_sq_mean</b>, E[δ_l²] of the"
                + " per-sample error at layer l's pre-activation, averaged over seeds (the mean of E[δ²], not its square"
                + " root), on a log scale. A layer's gradient depends on the depth the backward pass starts from: each"
                + " line is drawn at the largest depth of its configuration, named in the legend. Falling to the left"
                + " (towards layer 1) the gradients vanish, rising they explode.</p>\n");
        for (GradientProfile p : g.profiles()) {
            String label = p.panel().label(varying);
            long seeds = p.lines().stream().mapToLong(GradientLine::seeds).max().orElse(0);
            html.append("<h3>").append(esc(label)).append(" <span class=\"meta\">mean over ").append(seeds).append(" seed")
                    .append(seeds == 1 ? "" : "s").append("</span></h3>\n<div class=\"panels\">");
            List<String> omittedStd = new ArrayList<>();
            List<String> omittedGrad = new ArrayList<>();
            Profile forward = profiles.stream().filter(f -> f.panel().equals(p.panel())).findFirst().orElse(null);
            if (forward != null) {
                image(Charts.profile("act_std — " + label, "act_std", forward.lines(), ProfileLine::actStd, varying, omittedStd),
                        label + ": act_std by layer, one line per initializer");
            }
            image(Charts.gradientProfile("grad_sq_mean — " + label, p.lines(), varying, omittedGrad),
                    label + ": grad_sq_mean by layer, one line per initializer");
            html.append("</div>\n");
            omitted("act_std", omittedStd);
            omitted("grad_sq_mean", omittedGrad);
        }
        html.append("<h3>Vanishing or exploding</h3>\n<p class=\"note\"><b>log10 grad_first_over_last</b>, the decimal log"
                + " of ‖∂L/∂W_1‖ / ‖∂L/∂W_L‖ (the runs table), averaged over seeds (the log of the geometric mean, as"
                + " <code>jobs/sql/vanishing_exploding.sql</code>), over the init's <code>init_std</code> (only inits that"
                + " have one; over the init when the sweep has fewer than two init_std values) and the depth, one panel per"
                + " activation. 0 (white): the first layer's weight gradient is as large as the last's; below −1 (blue) it"
                + " is more than a decade smaller, vanishing; above 1 (red) exploding. The colour scale is symmetric around"
                + " 0 in each panel.</p>\n<div class=\"panels\">\n");
        for (GradientHeatmap map : g.heatmaps()) {
            String label = map.panel().label(varying);
            long seeds = 0;
            List<String> notFinite = new ArrayList<>();
            for (int x = 0; x < map.seeds().length; x++) {
                for (int y = 0; y < map.seeds()[x].length; y++) {
                    seeds = Math.max(seeds, map.seeds()[x][y]);
                    double v = map.log10FirstOverLast()[x][y];
                    if (map.seeds()[x][y] > 0 && !Double.isFinite(v)) {
                        notFinite.add(map.labels().get(x) + " depth " + map.depths().get(y) + ": " + v);
                    }
                }
            }
            html.append("<div class=\"panel\">\n<h3>").append(esc(label)).append(" <span class=\"meta\">mean over ").append(seeds)
                    .append(" seed").append(seeds == 1 ? "" : "s").append("</span></h3>\n<div class=\"cells\">");
            image(Charts.gradientHeatmap(map), label + ": log10 grad_first_over_last by " + map.axis() + " and depth");
            html.append("</div>\n");
            omitted("log10 grad_first_over_last", notFinite);
            html.append("</div>\n");
        }
        html.append("</div>\n");
        if (!g.spectra().isEmpty()) {
            jacobianSpectra(g.spectra(), varying);
        }
        html.append("</section>\n");
    }

    /** Histograms of log10 σ of the input–output Jacobian, one per panel, a line per init setting. */
    private void jacobianSpectra(List<JacobianSpectrum> spectra, Set<String> varying) {
        html.append("<h3 id=\"jacobian\">Jacobian spectrum</h3>\n<p class=\"note\">The singular values σ of the"
                + " input–output Jacobian J = ∂X_L/∂x (the <code>jacobian</code> table, one row per grid point and input"
                + " sample), at the largest depth of each panel, pooled over every sample and seed: per init setting the"
                + " share of its singular values in each quarter-decade bin of log10 σ (bins from the data inside [−8, 4]),"
                + " so orthogonal and Gaussian inits of equal depth compare. A narrow peak near 0 is dynamical isometry;"
                + " a wide spread, a few directions amplified and many lost. Zeros (a ReLU unit off on a sample is a"
                + " zero row of J), non-finite values and values outside [10⁻⁸, 10⁴] are counted under the"
                + " chart.</p>\n");
        for (JacobianSpectrum spectrum : spectra) {
            String label = spectrum.panel().label(varying);
            long rows = spectrum.series().stream().mapToLong(ReportData.SpectrumSeries::rows).sum();
            html.append("<h3>").append(esc(label)).append(" <span class=\"meta\">depth ").append(spectrum.depth())
                    .append(" · ").append(rows).append(" Jacobian").append(rows == 1 ? "" : "s").append("</span></h3>\n");
            html.append("<figure>");
            image(Charts.jacobianSpectrum("log10 σ — " + label, spectrum, varying),
                    label + ": histogram of the Jacobian's singular values, one line per initializer");
            html.append("<figcaption>").append(esc(Charts.spectrumOutsideCaption(spectrum, varying)))
                    .append("</figcaption></figure>\n");
        }
    }

    /**
     * The mean-field theory beside the measurement: phase diagrams of χ₁ over (σ_w², σ_b²) with the
     * theory's critical line, then per configuration measured E[A²] and c per layer under the
     * theory's q and c.
     */
    private void theory(Theory t, Set<String> varying) {
        html.append("<section id=\"theory\">\n<h2>Theory</h2>\n<p class=\"note\">Mean-field theory"
                + " (<code>docs/theory.md</code>) beside what the simulation measured.</p>\n");
        if (!t.phaseDiagrams().isEmpty()) {
            html.append("<h3 id=\"phase\">Phase diagram</h3>\n<p class=\"note\">χ₁ over σ_w² = width · weight_std² and σ_b² ="
                    + " bias_std², one panel per activation: the factor by which E[δ²] grows per layer going backwards,"
                    + " below 1 (blue) ordered, above 1 (red) chaotic, on a log colour scale centred at 1. Each cell also"
                    + " gives depth/ξ_c (<code>depth_over_xi_c</code> of the runs table, at the panel's largest depth): a"
                    + " network many ξ_c deep has forgotten its input geometry. The black line is the theory's edge of"
                    + " chaos, χ₁ = 1: per σ_b² the σ_w² where the theory's <code>chi1</code> crosses 1, interpolated"
                    + " linearly between neighbouring grid values (as <code>jobs/sql/critical_line.sql</code>).</p>\n"
                    + "<div class=\"panels\">\n");
            for (PhaseDiagram d : t.phaseDiagrams()) {
                String label = d.panel().label(varying);
                long seeds = 0;
                for (long[] col : d.runs()) {
                    for (long n : col) {
                        seeds = Math.max(seeds, n);
                    }
                }
                html.append("<div class=\"panel\">\n<h3>").append(esc(label)).append(" <span class=\"meta\">mean over ")
                        .append(seeds).append(" run").append(seeds == 1 ? "" : "s").append(" per cell</span></h3>\n<figure>");
                String what = d.measured() ? "measured χ₁ (chi1_measured)" : "theory χ₁ (chi1)";
                image(Charts.phaseDiagram(what + " — " + label, d), label + ": phase diagram of χ₁ by σ_w² and σ_b²");
                html.append("<figcaption>").append(esc(phaseCaption(d))).append("</figcaption></figure>\n</div>\n");
            }
            html.append("</div>\n");
        }
        if (!t.profiles().isEmpty()) {
            html.append("<h3 id=\"theory-layers\">Measured against theory, layer by layer</h3>\n<p class=\"note\">Per"
                    + " configuration of the layer profiles (where the theory is defined), the measured <b>E[A²]</b>"
                    + " (<code>pre_sq_mean</code>, markers) under the theory's q (<code>theory_q</code>, line) on a log"
                    + " scale, and the measured correlation of two samples' pre-activations <b>c</b>"
                    + " (<code>pre_corr_mean</code>) under the theory's c (<code>theory_c</code>), averaged over"
                    + " seeds.</p>\n");
            for (TheoryProfile p : t.profiles()) {
                String label = p.panel().label(varying);
                html.append("<h3>").append(esc(label)).append("</h3>\n<div class=\"panels\">\n");
                List<String> names = Config.distinctLabels(p.lines().stream().map(TheoryLine::init).toList(),
                        c -> c.label(varying));
                for (int i = 0; i < p.lines().size(); i++) {
                    TheoryLine line = p.lines().get(i);
                    String name = names.get(i);
                    html.append("<figure><div class=\"cells\">");
                    image(Charts.theoryProfile("E[A²] — " + name, "pre_sq_mean", line.layers(), line.preSqMean(), line.theoryQ(),
                            true), label + ", " + name + ": measured E[A²] and theory q by layer");
                    image(Charts.theoryProfile("c — " + name, "pre_corr_mean", line.layers(), line.preCorrMean(), line.theoryC(),
                            false), label + ", " + name + ": measured c and theory c by layer");
                    html.append("</div></figure>\n");
                }
                html.append("</div>\n");
            }
        }
        html.append("</section>\n");
    }

    /**
     * Training from each grid point's initialization: loss curves per panel (train and test), the
     * trainability maps with the theory's 6·ξ_c, and the symmetry of the units over training.
     */
    private void training(ReportData.Training t, Set<String> varying) {
        html.append("<section id=\"training\">\n<h2>Training</h2>\n<p class=\"note\">Each grid point trained from its own"
                + " initialization (<code>training</code> in the spec, <code>docs/training.md</code>): the"
                + " <code>training</code> table's records and the runs table's summary.</p>\n");
        if (!t.losses().isEmpty()) {
            html.append("<h3 id=\"loss-curves\">Loss curves</h3>\n<p class=\"note\"><b>train_loss</b> (left) and"
                    + " <b>test_loss</b> (right) against the step, both axes logarithmic, one panel per activation, depth and"
                    + " optimizer settings, one colour per init setting: the line is the mean over seeds, the band the min–max"
                    + " over seeds, each over the seeds whose loss is finite at that step. Step 0 (the initialization; log 0 is"
                    + " undefined) is drawn at half the first recorded step, at the left edge, as the axis title says. A run"
                    + " that diverged (<code>diverged</code> in runs) stopped there: it counts up to its last finite record,"
                    + " which a black × marks, and the panel lists its seeds and steps.</p>\n");
            for (ReportData.LossPanel p : t.losses()) {
                String label = p.panel().label(varying);
                long seeds = p.lines().stream().mapToLong(ReportData.LossLine::seeds).max().orElse(0);
                html.append("<h3>").append(esc(label)).append(" <span class=\"meta\">").append(seeds).append(" seed")
                        .append(seeds == 1 ? "" : "s").append(" per line</span></h3>\n<div class=\"panels\">");
                image(Charts.lossCurves("train_loss — " + label, false, p, varying),
                        label + ": train_loss by step, one line per initializer");
                image(Charts.lossCurves("test_loss — " + label, true, p, varying),
                        label + ": test_loss by step, one line per initializer");
                html.append("</div>\n");
                String diverged = Charts.divergenceCaption(p, varying);
                if (!diverged.isEmpty()) {
                    html.append("<p class=\"note\">").append(esc(diverged)).append("</p>\n");
                }
            }
        }
        if (!t.trainability().isEmpty()) {
            html.append("<h3 id=\"trainability\">Trainability</h3>\n<p class=\"note\">The share of seeds with"
                    + " <code>trained</code> (not diverged and final_test_loss ≤ 0.5 × baseline_test_loss) over σ_w² = width"
                    + " · weight_std² (as the phase diagram; inits of one σ_w² pooled, random inits only) and the depth, one"
                    + " panel per activation and optimizer settings whose grid has at least two of each: white none, dark"
                    + " green all, with trained/runs in each cell. The black line is the theory's trainable depth 6·ξ_c"
                    + " (<code>xi_c</code> of the runs, mean per σ_w²; Schoenholz et al. 2017: networks train only when"
                    + " depth ≲ 6 ξ_c), placed between the rows' depths by linear interpolation; a ▲ at the top marks a"
                    + " σ_w² whose 6·ξ_c lies above the deepest row (∞ at criticality). Its values are printed under the"
                    + " σ_w² labels.</p>\n<div class=\"panels\">\n");
            for (ReportData.Trainability m : t.trainability()) {
                String label = m.panel().label(varying);
                html.append("<div class=\"panel\">\n<h3>").append(esc(label)).append("</h3>\n<figure>");
                image(Charts.trainability("share of seeds trained — " + label, m),
                        label + ": share of seeds trained by σ_w² and depth, with 6·ξ_c");
                html.append("<figcaption>").append(esc(trainabilityCaption(m))).append("</figcaption></figure>\n</div>\n");
            }
            html.append("</div>\n");
        }
        if (!t.symmetry().isEmpty()) {
            html.append("<h3 id=\"symmetry\">Symmetry over training</h3>\n<p class=\"note\">The fewest distinct units"
                    + " of any layer (the minimum over layers of <code>distinct_units</code>: units whose activations differ"
                    + " from every other unit's) against the step, per activation and optimizer settings at the largest"
                    + " depth, one colour per init setting, mean over seeds with the min–max band; the step axis as for"
                    + " the loss curves. A constant init's units stay identical: its line stays flat at 1, while random"
                    + " inits stay near the width.</p>\n<div class=\"panels\">\n");
            for (ReportData.SymmetryPanel p : t.symmetry()) {
                String label = p.panel().label(varying);
                html.append("<div class=\"panel\">\n<h3>").append(esc(label)).append(" <span class=\"meta\">depth ")
                        .append(p.depth()).append("</span></h3>\n");
                image(Charts.symmetry("min distinct_units — " + label, p, varying),
                        label + ": fewest distinct units by step, one line per initializer");
                html.append("</div>\n");
            }
            html.append("</div>\n");
        }
        html.append("</section>\n");
    }

    /** What a trainability map's cells and line are. */
    static String trainabilityCaption(ReportData.Trainability m) {
        long runs = 0;
        for (long[] column : m.runs()) {
            for (long n : column) {
                runs = Math.max(runs, n);
            }
        }
        return "trained/runs per cell (up to " + runs + " runs); line: the theory's 6·ξ_c, mean xi_c per σ_w²";
    }

    /** What a phase diagram's cells hold: measured or theory χ₁, over how many runs, at which depth ξ_c is read. */
    static String phaseCaption(PhaseDiagram d) {
        String source = d.measured() ? "χ₁ measured from the gradients (chi1_measured), mean over seeds and depths"
                : "no gradients in this sweep: χ₁ of the theory (chi1), mean over seeds and depths";
        return source + "; L/ξ = depth/ξ_c at depth " + d.depth() + "; line: theory χ₁ = 1"
                + (d.criticalLine().isEmpty() ? " (not crossed on this grid)" : "");
    }

    private void omitted(String metric, List<String> what) {
        if (!what.isEmpty()) {
            html.append("<p class=\"note\">Not drawn (zero or non-finite ").append(esc(metric)).append("): ")
                    .append(esc(String.join("; ", what))).append("</p>\n");
        }
    }

    private void image(java.awt.image.BufferedImage picture, String alt) {
        java.io.ByteArrayOutputStream png = new java.io.ByteArrayOutputStream();
        try {
            javax.imageio.ImageIO.write(picture, "png", png);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
        String data = Base64.getEncoder().encodeToString(png.toByteArray());
        html.append("<img src=\"data:image/png;base64,").append(data).append("\" width=\"").append(picture.getWidth())
                .append("\" height=\"").append(picture.getHeight()).append("\" alt=\"").append(esc(alt)).append("\">");
        figures++;
    }

    private void image(IChart chart, String alt) {
        String data = Base64.getEncoder().encodeToString(Charts.png(chart));
        html.append("<img src=\"data:image/png;base64,").append(data).append("\" width=\"").append(chart.getWidth())
                .append("\" height=\"").append(chart.getHeight()).append("\" alt=\"").append(esc(alt)).append("\">");
        figures++;
    }

    private void row(String name, String value) {
        html.append("<tr><th>").append(esc(name)).append("</th><td>").append(esc(value)).append("</td></tr>\n");
    }

    private static String text(JsonNode n, String missing) {
        return n.isMissingNode() || n.isNull() ? missing : n.asText();
    }

    private static String join(JsonNode array) {
        List<String> v = new ArrayList<>();
        array.forEach(e -> v.add(e.asText()));
        return v.isEmpty() ? "—" : String.join(", ", v);
    }

    private static String seconds(JsonNode n) {
        return n.isNumber() ? String.format(Locale.ROOT, "%.2f s", n.asDouble()) : "?";
    }

    private static String percent(double share) {
        return share >= 0.001 ? String.format(Locale.ROOT, "%.1f%%", 100 * share) : "<0.1%";
    }

    /** {@code s} as HTML text or attribute value: &amp; &lt; &gt; &quot; and &#39; escaped. */
    public static String esc(String s) {
        StringBuilder b = new StringBuilder(s.length());
        for (int i = 0; i < s.length(); i++) {
            char c = s.charAt(i);
            switch (c) {
                case '&' -> b.append("&amp;");
                case '<' -> b.append("&lt;");
                case '>' -> b.append("&gt;");
                case '"' -> b.append("&quot;");
                case '\'' -> b.append("&#39;");
                default -> b.append(c);
            }
        }
        return b.toString();
    }
}
