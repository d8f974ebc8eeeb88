package io.initsweep.report;

import io.initsweep.report.ReportData.GradientHeatmap;
import io.initsweep.report.ReportData.GradientProfile;
import io.initsweep.report.ReportData.Heatmap;
import io.initsweep.report.ReportData.HistogramRow;
import io.initsweep.report.ReportData.LayerHistogram;
import io.initsweep.report.ReportData.Profile;
import io.initsweep.report.ReportData.ProfileLine;
import io.initsweep.tables.Views;
import java.awt.image.BufferedImage;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.apache.spark.sql.SparkSession;
import org.knowm.xchart.internal.chartpart.IChart;

/**
 * The report's figures one at a time, as images, for callers that display them themselves (the
 * Java notebook in {@code notebooks/}): the same numbers ({@link ReportData}) and charts
 * ({@link Charts}) as {@code initsweep report}, each figure's charts side by side under a title.
 */
public final class Figures {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    /** One figure: its title (also drawn above the image) and the image. */
    public record Figure(String title, BufferedImage image) {}

    private final ReportData data;
    private final Set<String> varying;

    private Figures(ReportData data) {
        this.data = data;
        this.varying = data.keys.varying();
    }

    /** Over the views already registered in {@code spark} (see {@link Views#register}). */
    public static Figures of(SparkSession spark) {
        return new Figures(new ReportData(spark));
    }

    /**
     * The seed figures: for each chosen configuration one row of histograms of Z = φ(A), layer 1 on
     * the left, one y scale per row, the share outside the histogram's range under a layer.
     *
     * @param condition a SQL condition on the runs view, as {@code initsweep report --histograms};
     *     null for the seed posts' configurations (or, if the sweep has none, its first few)
     */
    public List<Figure> seedFigures(String condition) {
        List<Figure> figures = new ArrayList<>();
        for (HistogramRow row : data.histograms(condition).rows()) {
            double yMax = Charts.rowYMax(row);
            List<IChart> charts = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            for (LayerHistogram layer : row.layers()) {
                charts.add(Charts.histogram(layer, yMax));
                captions.add(HtmlReport.outsideCaption(layer));
            }
            String title = row.config().label(varying) + "  ·  seed " + row.seed() + " · depth " + row.depth()
                    + (row.layers().size() < row.depth() ? " · " + row.layers().size() + " of " + row.depth() + " layers shown"
                            : "");
            figures.add(new Figure(title, Charts.row(title, charts, captions)));
        }
        return figures;
    }

    /**
     * Heatmaps of the final layer's saturation_rate and dead_unit_rate over (init setting × depth),
     * averaged over seeds, on one 0–1 colour scale: one figure per init and activation.
     */
    public List<Figure> rateHeatmaps() {
        List<Figure> figures = new ArrayList<>();
        for (Heatmap map : data.heatmaps()) {
            String title = map.panel().label(varying) + "  ·  final layer, mean over seeds";
            List<IChart> charts = List.of(Charts.heatmap(map, "saturation_rate", map.saturation()),
                    Charts.heatmap(map, "dead_unit_rate", map.deadUnits()));
            figures.add(new Figure(title, Charts.row(title, charts, List.of("", ""))));
        }
        return figures;
    }

    /**
     * act_std across layers, one line per init setting, averaged over seeds, on a log scale: one
     * figure per activation (and other panel keys). Values a log axis cannot show are named under
     * the chart.
     */
    public List<Figure> actStdProfiles() {
        return profiles("act_std", ProfileLine::actStd);
    }

    /** E[A²] (pre_sq_mean, the mean-field q) across layers, as {@link #actStdProfiles}. */
    public List<Figure> preSqMeanProfiles() {
        return profiles("pre_sq_mean", ProfileLine::preSqMean);
    }

    /**
     * For sweeps with gradients: per activation (and other panel keys) act_std across layers next
     * to grad_sq_mean (E[δ²], averaged over seeds; not its square root), one line per init setting
     * at the largest depth of its configuration, log scales. Empty for a sweep without gradients.
     */
    public List<Figure> gradientProfiles() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasGradients()) {
            return figures;
        }
        List<Profile> forward = data.profiles();
        for (GradientProfile p : data.gradientProfiles()) {
            String label = p.panel().label(varying);
            List<IChart> charts = new ArrayList<>();
            List<String> captions = new ArrayList<>();
            forward.stream().filter(f -> f.panel().equals(p.panel())).findFirst().ifPresent(f -> {
                List<String> omitted = new ArrayList<>();
                charts.add(Charts.profile("act_std — " + label, "act_std", f.lines(), ProfileLine::actStd, varying, omitted));
                captions.add(omittedCaption(omitted));
            });
            List<String> omitted = new ArrayList<>();
            charts.add(Charts.gradientProfile("grad_sq_mean — " + label, p.lines(), varying, omitted));
            captions.add(omittedCaption(omitted));
            String title = label + "  ·  act_std and grad_sq_mean (E[δ²]) by layer, mean over seeds";
            figures.add(new Figure(title, Charts.row(title, charts, captions)));
        }
        return figures;
    }

    /**
     * For sweeps with gradients: log10(grad_first_over_last) averaged over seeds over (init_std ×
     * depth), or (init × depth) when the sweep has fewer than two init_std values, one figure per
     * activation, on a colour scale diverging around 0. Empty for a sweep without gradients.
     */
    public List<Figure> gradientHeatmaps() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasGradients()) {
            return figures;
        }
        for (GradientHeatmap map : data.gradientHeatmaps()) {
            String title = map.panel().label(varying) + "  ·  log10 ‖∂L/∂W_1‖/‖∂L/∂W_L‖, mean over seeds";
            figures.add(new Figure(title, Charts.row(title, List.of(Charts.gradientHeatmap(map)), List.of(""))));
        }
        return figures;
    }

    /**
     * For sweeps with gradients: per activation (and other panel keys) a histogram of log10 σ of the
     * input–output Jacobian's singular values at the panel's largest depth, one line per init setting
     * (orthogonal against Gaussian inits), pooling every sample and seed. Values outside the range
     * drawn are counted under the chart. Empty without jacobian rows.
     */
    public List<Figure> jacobianSpectra() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasGradients()) {
            return figures;
        }
        for (ReportData.JacobianSpectrum spectrum : data.jacobianSpectra()) {
            String label = spectrum.panel().label(varying);
            String title = label + "  ·  singular values of ∂X_L/∂x at depth " + spectrum.depth() + ", every sample and seed";
            figures.add(new Figure(title, Charts.row(title, List.of(Charts.jacobianSpectrum("log10 σ — " + label, spectrum,
                    varying)), List.of(Charts.spectrumOutsideCaption(spectrum, varying)))));
        }
        return figures;
    }

    /**
     * For sweeps whose activations vary both σ_w² and σ_b² (two values or more of each with theory):
     * per activation (and other panel keys) χ₁ over (σ_w² × σ_b²), measured when the sweep has
     * gradients, else the theory's, with depth/ξ_c in the cells and the theory's critical line χ₁ = 1
     * over it. Empty otherwise.
     */
    public List<Figure> phaseDiagrams() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasTheory()) {
            return figures;
        }
        for (ReportData.PhaseDiagram d : data.phaseDiagrams()) {
            String label = d.panel().label(varying);
            String title = label + "  ·  " + (d.measured() ? "measured" : "theory") + " χ₁ over σ_w² and σ_b²";
            figures.add(new Figure(title, Charts.rowOfImages(title, List.of(Charts.phaseDiagram(label, d)),
                    List.of(HtmlReport.phaseCaption(d)))));
        }
        return figures;
    }

    /**
     * Per configuration of the layer profiles where the theory is defined: measured E[A²] under the
     * theory's q (log scale) next to measured c under the theory's c, by layer, averaged over seeds.
     */
    public List<Figure> theoryProfiles() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasTheory()) {
            return figures;
        }
        for (ReportData.TheoryProfile p : data.theoryProfiles()) {
            String label = p.panel().label(varying);
            List<String> names = Config.distinctLabels(p.lines().stream().map(ReportData.TheoryLine::init).toList(),
                    c -> c.label(varying));
            for (int i = 0; i < p.lines().size(); i++) {
                ReportData.TheoryLine line = p.lines().get(i);
                String title = label + "  ·  " + names.get(i) + "  ·  E[A²] and c by layer against the theory";
                List<IChart> charts = List.of(
                        Charts.theoryProfile("E[A²]", "pre_sq_mean", line.layers(), line.preSqMean(), line.theoryQ(), true),
                        Charts.theoryProfile("c", "pre_corr_mean", line.layers(), line.preCorrMean(), line.theoryC(), false));
                figures.add(new Figure(title, Charts.row(title, charts, List.of("", ""))));
            }
        }
        return figures;
    }

    /**
     * For sweeps with training: per panel (activation, depth, optimizer, lr and other keys but the
     * init's) train_loss and test_loss against step on log axes (step 0 at half the first recorded
     * step), a line per init setting: the mean over seeds, the min–max over seeds as a band, diverged
     * seeds marked at their last finite record. Empty without training rows.
     */
    public List<Figure> trainingLossCurves() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasTraining()) {
            return figures;
        }
        for (ReportData.LossPanel p : data.lossCurves()) {
            String label = p.panel().label(varying);
            String title = label + "  ·  train and test loss by step, mean and min–max over seeds";
            String diverged = Charts.divergenceCaption(p, varying);
            figures.add(new Figure(title, Charts.row(title, List.of(Charts.lossCurves("train_loss — " + label, false, p, varying),
                    Charts.lossCurves("test_loss — " + label, true, p, varying)), List.of(diverged, ""))));
        }
        return figures;
    }

    /**
     * For sweeps with training whose activations have two σ_w² values or more and two depths or more:
     * the share of seeds with {@code trained} over (σ_w² × depth) per activation (and optimizer
     * settings), with the theory's trainable depth 6·ξ_c drawn over it. Empty otherwise.
     */
    public List<Figure> trainabilityHeatmaps() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasTraining()) {
            return figures;
        }
        for (ReportData.Trainability m : data.trainability()) {
            String label = m.panel().label(varying);
            String title = label + "  ·  share of seeds trained over σ_w² and depth, with 6·ξ_c";
            figures.add(new Figure(title, Charts.rowOfImages(title, List.of(Charts.trainability("share of seeds trained — "
                    + label, m)), List.of(HtmlReport.trainabilityCaption(m)))));
        }
        return figures;
    }

    /**
     * For sweeps with training: per activation (and optimizer settings) at the largest depth, the
     * fewest distinct units over the layers against step, a line per init setting (mean over seeds,
     * min–max band): a constant init stays at 1. Empty without training rows.
     */
    public List<Figure> trainingSymmetry() {
        List<Figure> figures = new ArrayList<>();
        if (!data.hasTraining()) {
            return figures;
        }
        for (ReportData.SymmetryPanel p : data.symmetry()) {
            String label = p.panel().label(varying);
            String title = label + "  ·  depth " + p.depth() + "  ·  fewest distinct units over the layers by step";
            figures.add(new Figure(title, Charts.row(title, List.of(Charts.symmetry("min distinct_units — " + label, p, varying)),
                    List.of(""))));
        }
        return figures;
    }

    private static String omittedCaption(List<String> omitted) {
        return omitted.isEmpty() ? "" : "not drawn (zero or non-finite): " + String.join("; ", omitted);
    }

    private List<Figure> profiles(String metric, Function<ProfileLine, double[]> values) {
        List<Figure> figures = new ArrayList<>();
        for (Profile p : data.profiles()) {
            String label = p.panel().label(varying);
            List<String> omitted = new ArrayList<>();
            IChart chart = Charts.profile(metric + " — " + label, metric, p.lines(), values, varying, omitted);
            String caption = omitted.isEmpty() ? "" : "not drawn (zero or non-finite): " + String.join("; ", omitted);
            String title = label + "  ·  " + metric + " by layer, mean over seeds";
            figures.add(new Figure(title, Charts.row(title, List.of(chart), List.of(caption))));
        }
        return figures;
    }
}
