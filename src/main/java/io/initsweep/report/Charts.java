package io.initsweep.report;

import io.initsweep.report.ReportData.Heatmap;
import io.initsweep.report.ReportData.LayerHistogram;
import java.awt.Color;
import java.awt.Font;
import java.awt.Graphics2D;
import java.awt.RenderingHints;
import java.awt.image.BufferedImage;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Function;
import org.knowm.xchart.BitmapEncoder;
import org.knowm.xchart.CategoryChart;
import org.knowm.xchart.CategoryChartBuilder;
import org.knowm.xchart.CategorySeries;
import org.knowm.xchart.ChartEncoder;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.HeatMapChartBuilder;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYChartBuilder;
import org.knowm.xchart.XYSeries;
import org.knowm.xchart.internal.chartpart.IChart;
import org.knowm.xchart.style.Styler;
import org.knowm.xchart.style.markers.SeriesMarkers;

/**
 * The report's figures as XChart charts, built from {@link ReportData}'s values and encoded to
 * PNG. Rendering is headless (no display is needed or used).
 */
final class Charts {
    static {
        System.setProperty("java.awt.headless", "true");
    }

    static final int HISTOGRAM_WIDTH = 210;
    static final int HISTOGRAM_HEIGHT = 170;
    static final int HEATMAP_WIDTH = 330;
    static final int HEATMAP_HEIGHT = 260;
    static final int PROFILE_WIDTH = 660;
    static final int PROFILE_HEIGHT = 360;

    /** matplotlib's first colour, as in the seed notebook's bars. */
    private static final Color BAR = new Color(31, 119, 180);
    private static final Font TITLE = new Font(Font.SANS_SERIF, Font.PLAIN, 12);
    private static final Font SMALL = new Font(Font.SANS_SERIF, Font.PLAIN, 10);
    private static final Font ROW_TITLE = new Font(Font.SANS_SERIF, Font.BOLD, 13);
    /** The report's caption colour (figcaption). */
    private static final Color CAPTION = new Color(170, 51, 51);
    private static final int ROW_TITLE_HEIGHT = 28;
    private static final int ROW_CAPTION_HEIGHT = 22;
    private static final int ROW_PADDING = 6;
    private static final int ROW_GAP = 2;

    private Charts() {}

    /**
     * One layer's histogram: a bar per bin at the bin's centre, height = its count. The y axis
     * runs from 0 to {@code yMax} so every layer of a row shares one scale.
     */
    static CategoryChart histogram(LayerHistogram h, double yMax) {
        CategoryChart chart = new CategoryChartBuilder().width(HISTOGRAM_WIDTH).height(HISTOGRAM_HEIGHT)
                .title("layer " + h.layer()).build();
        var s = chart.getStyler();
        s.setLegendVisible(false);
        s.setChartTitleFont(TITLE);
        s.setAxisTickLabelsFont(SMALL);
        s.setChartBackgroundColor(Color.WHITE);
        s.setPlotGridVerticalLinesVisible(false);
        s.setAvailableSpaceFill(0.9);
        s.setXAxisMaxLabelCount(3);
        s.setXAxisDecimalPattern("0.#");
        s.setYAxisMin(0.0);
        s.setYAxisMax(Math.max(1.0, yMax));
        s.setYAxisTickLabelsFormattingFunction(Charts::compactCount);
        s.setSeriesColors(new Color[] {BAR});
        s.setChartPadding(4);
        List<Double> centres = new ArrayList<>();
        List<Long> counts = new ArrayList<>();
        for (int k = 0; k < h.counts().length; k++) {
            centres.add((h.edges()[k] + h.edges()[k + 1]) / 2);
            counts.add(h.counts()[k]);
        }
        CategorySeries series = chart.addSeries("count", centres, counts);
        series.setFillColor(BAR);
        return chart;
    }

    /** The shared y range of a histogram row: its largest count plus 5 % headroom. */
    static double rowYMax(ReportData.HistogramRow row) {
        return Math.max(1, row.maxCount()) * 1.05;
    }

    /**
     * A rate over (init setting × depth): x = the settings' labels (init_std; "derived" for inits
     * that compute their std), y = depth, colour and printed value = the mean rate; the colour
     * scale is fixed to [0, 1] so panels compare.
     */
    static HeatMapChart heatmap(Heatmap map, String metric, double[][] values) {
        HeatMapChart chart = new HeatMapChartBuilder().width(HEATMAP_WIDTH).height(HEATMAP_HEIGHT)
                .title(metric).xAxisTitle("init_std").yAxisTitle("depth").build();
        var s = chart.getStyler();
        plain(s);
        s.setShowValue(true);
        s.setValueFont(SMALL);
        s.setHeatMapValueDecimalPattern("0.000");
        s.setRangeColors(new Color[] {new Color(255, 255, 255), new Color(253, 174, 97), new Color(165, 0, 38)});
        s.setMin(0.0);
        s.setMax(1.0);
        s.setGradientColorColumnHeight(HEATMAP_HEIGHT - 90);
        s.setGradientColorColumnWeight(12);
        s.setChartPadding(4);
        List<Number[]> cells = new ArrayList<>();
        for (int x = 0; x < values.length; x++) {
            for (int y = 0; y < values[x].length; y++) {
                if (!Double.isNaN(values[x][y])) {
                    cells.add(new Number[] {x, y, values[x][y]});
                }
            }
        }
        chart.addSeries(metric, map.labels(), map.depths(), cells);
        return chart;
    }

    /**
     * log10(grad_first_over_last) over (init setting × depth): x = the settings' labels, y = depth,
     * the mean printed in each cell. The colour scale diverges around 0 (white: the first layer's
     * weight gradient as large as the last's), blue for vanishing (below 0), red for exploding,
     * symmetric over ±max |value| in whole decades (at least ±1) so that 0 stays white. Non-finite cells are left out.
     */
    static HeatMapChart gradientHeatmap(ReportData.GradientHeatmap map) {
        HeatMapChart chart = new HeatMapChartBuilder().width(HEATMAP_WIDTH).height(HEATMAP_HEIGHT)
                .title("log10 grad_first_over_last").xAxisTitle(map.axis()).yAxisTitle("depth").build();
        var s = chart.getStyler();
        plain(s);
        s.setShowValue(true);
        s.setValueFont(SMALL);
        s.setHeatMapValueDecimalPattern("0.00");
        s.setRangeColors(new Color[] {new Color(33, 102, 172), new Color(255, 255, 255), new Color(178, 24, 43)});
        double bound = gradientBound(map.log10FirstOverLast());
        s.setMin(-bound);
        s.setMax(bound);
        s.setGradientColorColumnHeight(HEATMAP_HEIGHT - 90);
        s.setGradientColorColumnWeight(12);
        s.setChartPadding(4);
        List<Number[]> cells = new ArrayList<>();
        double[][] values = map.log10FirstOverLast();
        for (int x = 0; x < values.length; x++) {
            for (int y = 0; y < values[x].length; y++) {
                if (Double.isFinite(values[x][y])) {
                    cells.add(new Number[] {x, y, values[x][y]});
                }
            }
        }
        chart.addSeries("log10 grad_first_over_last", map.labels(), map.depths(), cells);
        return chart;
    }

    /**
     * The gradient heatmap's colour scale runs over ±this: the largest finite |value| rounded up to
     * a whole decade, at least 1.
     */
    static double gradientBound(double[][] values) {
        double bound = 1;
        for (double[] column : values) {
            for (double v : column) {
                if (Double.isFinite(v)) {
                    bound = Math.max(bound, Math.ceil(Math.abs(v)));
                }
            }
        }
        return bound;
    }

    /**
     * One metric across layers, a line per init setting, on a log y axis. Points that a log axis
     * cannot show (zero, negative, NaN, ±Inf) are left out and reported in {@code omitted}.
     */
    static <L extends ReportData.Line> XYChart profile(String title, String metric, List<L> lines, Function<L, double[]> values,
            Set<String> labelColumns, List<String> omitted) {
        XYChart chart = new XYChartBuilder().width(PROFILE_WIDTH).height(PROFILE_HEIGHT).title(title)
                .xAxisTitle("layer").yAxisTitle(metric).build();
        var s = chart.getStyler();
        plain(s);
        s.setLegendFont(SMALL);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setYAxisLogarithmic(true);
        s.setXAxisDecimalPattern("0");
        s.setMarkerSize(5);
        s.setChartPadding(6);
        boolean any = false;
        List<String> names = Config.distinctLabels(lines.stream().map(ReportData.Line::init).toList(), c -> c.label(labelColumns));
        for (int n = 0; n < lines.size(); n++) {
            L line = lines.get(n);
            double[] v = values.apply(line);
            List<Integer> xs = new ArrayList<>();
            List<Double> ys = new ArrayList<>();
            for (int i = 0; i < v.length; i++) {
                if (v[i] > 0 && Double.isFinite(v[i])) {
                    xs.add(line.layers()[i]);
                    ys.add(v[i]);
                }
            }
            String name = names.get(n);
            if (xs.size() < v.length) {
                omitted.add(name + ": " + (v.length - xs.size()) + " of " + v.length + " layers");
            }
            if (xs.isEmpty()) {
                continue;
            }
            XYSeries series = chart.addSeries(name, xs, ys);
            series.setMarker(SeriesMarkers.CIRCLE);
            any = true;
        }
        if (!any) {
            s.setYAxisLogarithmic(false);
        }
        return chart;
    }

    /**
     * E[δ²] (grad_sq_mean) across layers as {@link #profile}, each line's name ending with the depth
     * it is drawn at (a layer's gradient depends on the depth the backward pass starts from).
     */
    static XYChart gradientProfile(String title, List<ReportData.GradientLine> lines, Set<String> labelColumns,
            List<String> omitted) {
        List<ReportData.GradientLine> named = new ArrayList<>();
        for (ReportData.GradientLine l : lines) {
            List<String> columns = new ArrayList<>(l.init().columns());
            List<Object> values = new ArrayList<>(l.init().values());
            columns.add(Keys.DEPTH);
            values.add(l.depth());
            named.add(new ReportData.GradientLine(new Config(columns, values), l.depth(), l.layers(), l.gradSqMean(), l.seeds()));
        }
        Set<String> shown = new java.util.LinkedHashSet<>(labelColumns);
        shown.add(Keys.DEPTH);
        return profile(title, "grad_sq_mean", named, ReportData.GradientLine::gradSqMean, shown, omitted);
    }

    /**
     * The Jacobian's singular values of one panel: a line per init setting through the share of its
     * values in each bin of log10 σ, at the bin centres, so settings with different numbers of values
     * compare. Shares are of every value of the setting, those outside the edges included.
     */
    static XYChart jacobianSpectrum(String title, ReportData.JacobianSpectrum spectrum, Set<String> labelColumns) {
        XYChart chart = new XYChartBuilder().width(PROFILE_WIDTH).height(PROFILE_HEIGHT).title(title)
                .xAxisTitle("log10 σ").yAxisTitle("share of singular values per bin").build();
        var s = chart.getStyler();
        plain(s);
        s.setLegendFont(SMALL);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setXAxisDecimalPattern("0.##");
        s.setYAxisMin(0.0);
        s.setMarkerSize(4);
        s.setChartPadding(6);
        List<String> names = Config.distinctLabels(spectrum.series().stream().map(ReportData.SpectrumSeries::init).toList(),
                c -> c.label(labelColumns));
        double[] edges = spectrum.edges();
        for (int n = 0; n < spectrum.series().size(); n++) {
            ReportData.SpectrumSeries series = spectrum.series().get(n);
            if (edges.length < 2 || series.values() == 0) {
                continue;
            }
            double[] xs = new double[edges.length - 1];
            double[] ys = new double[edges.length - 1];
            for (int k = 0; k < xs.length; k++) {
                xs[k] = (edges[k] + edges[k + 1]) / 2;
                ys[k] = series.counts()[k] / (double) series.values();
            }
            chart.addSeries(names.get(n), xs, ys).setMarker(SeriesMarkers.CIRCLE);
        }
        if (chart.getSeriesCollection().isEmpty()) {
            chart.addSeries("no singular value in range", new double[] {SPECTRUM_AXIS_MIN, SPECTRUM_AXIS_MAX},
                    new double[] {0, 0});
        }
        return chart;
    }

    private static final double SPECTRUM_AXIS_MIN = ReportData.SPECTRUM_MIN;
    private static final double SPECTRUM_AXIS_MAX = ReportData.SPECTRUM_MAX;

    /**
     * "12 of 640 singular values outside [1e-8, 1e4] (zeros included): orthogonal 12": what a Jacobian
     * histogram does not draw; empty when everything is drawn.
     */
    static String spectrumOutsideCaption(ReportData.JacobianSpectrum spectrum, Set<String> labelColumns) {
        long all = 0;
        long outside = 0;
        List<String> names = Config.distinctLabels(spectrum.series().stream().map(ReportData.SpectrumSeries::init).toList(),
                c -> c.label(labelColumns));
        List<String> parts = new ArrayList<>();
        for (int n = 0; n < spectrum.series().size(); n++) {
            ReportData.SpectrumSeries s = spectrum.series().get(n);
            all += s.values();
            outside += s.outside();
            if (s.outside() > 0) {
                parts.add(names.get(n) + " " + s.outside());
            }
        }
        if (outside == 0) {
            return "";
        }
        return outside + " of " + all + " singular values outside [1e" + (int) ReportData.SPECTRUM_MIN + ", 1e"
                + (int) ReportData.SPECTRUM_MAX + "] (zeros and non-finite included): " + String.join("; ", parts);
    }

    static final int PHASE_WIDTH = 620;
    static final int PHASE_HEIGHT = 420;
    static final int THEORY_WIDTH = 330;
    static final int THEORY_HEIGHT = 240;
    private static final int PHASE_LEFT = 70;
    private static final int PHASE_RIGHT = 110;
    private static final int PHASE_TOP = 34;
    private static final int PHASE_BOTTOM = 64;
    private static final Color ORDERED = new Color(33, 102, 172);
    private static final Color CHAOTIC = new Color(178, 24, 43);

    /** Cell (x, y) of a Java2D heat map, row 0 at the bottom, cells cw × ch from (PHASE_LEFT, PHASE_TOP). */
    private static java.awt.Rectangle heatmapCell(int x, int y, int ny, double cw, double ch) {
        int px = (int) Math.round(PHASE_LEFT + x * cw);
        int py = (int) Math.round(PHASE_TOP + (ny - 1 - y) * ch);
        return new java.awt.Rectangle(px, py, (int) Math.round(PHASE_LEFT + (x + 1) * cw) - px,
                (int) Math.round(PHASE_TOP + (ny - y) * ch) - py);
    }

    /** A Java2D heat map's canvas: antialiased, white, the title at the top left in the title font. */
    private static Graphics2D heatmapCanvas(BufferedImage out, String title) {
        Graphics2D g = out.createGraphics();
        g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
        g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
        g.setColor(Color.WHITE);
        g.fillRect(0, 0, out.getWidth(), out.getHeight());
        g.setColor(new Color(27, 27, 27));
        g.setFont(TITLE);
        g.drawString(title, PHASE_LEFT, 20);
        return g;
    }

    /**
     * The phase diagram as an image: a cell per (σ_w², σ_b²) of the grid (x and y in grid order,
     * evenly spaced), coloured by log10 χ₁ on a scale diverging around χ₁ = 1 (white; blue ordered,
     * red chaotic, ±the largest |log10 χ₁| rounded up to a decade), χ₁ and depth/ξ_c written in the
     * cell, and the theory's critical line χ₁ = 1 drawn over it in black, placed between the cell
     * centres by linear interpolation in σ_w². XChart's heat map cannot carry the line or the second
     * value, so it is drawn here with Java2D.
     */
    static BufferedImage phaseDiagram(String title, ReportData.PhaseDiagram d) {
        BufferedImage out = new BufferedImage(PHASE_WIDTH, PHASE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = heatmapCanvas(out, title);
        try {
            int nx = d.sigmaW2().size();
            int ny = d.sigmaB2().size();
            double cw = (PHASE_WIDTH - PHASE_LEFT - PHASE_RIGHT) / (double) nx;
            double ch = (PHASE_HEIGHT - PHASE_TOP - PHASE_BOTTOM) / (double) ny;
            double bound = phaseBound(d.chi1());
            g.setFont(SMALL);
            java.awt.FontMetrics fm = g.getFontMetrics();
            for (int x = 0; x < nx; x++) {
                for (int y = 0; y < ny; y++) {
                    java.awt.Rectangle cell = heatmapCell(x, y, ny, cw, ch);
                    int px = cell.x;
                    int py = cell.y;
                    int w = cell.width;
                    int h = cell.height;
                    double v = d.chi1()[x][y];
                    boolean finite = v > 0 && Double.isFinite(v);
                    g.setColor(finite ? diverging(Math.log10(v) / bound) : new Color(235, 235, 235));
                    g.fillRect(px, py, w, h);
                    g.setColor(new Color(27, 27, 27));
                    String value = finite ? cellNumber(v) : Double.isNaN(v) ? "—" : String.valueOf(v);
                    double dxi = d.depthOverXiC()[x][y];
                    String second = Double.isNaN(dxi) ? "" : "L/ξ " + cellNumber(dxi);
                    g.drawString(value, px + (w - fm.stringWidth(value)) / 2, py + h / 2 - 1);
                    g.drawString(second, px + (w - fm.stringWidth(second)) / 2, py + h / 2 + fm.getAscent());
                }
            }
            g.setColor(new Color(120, 120, 120));
            g.drawRect(PHASE_LEFT, PHASE_TOP, (int) Math.round(nx * cw), (int) Math.round(ny * ch));
            g.setColor(new Color(27, 27, 27));
            for (int x = 0; x < nx; x++) {
                String t = Config.format(round3(d.sigmaW2().get(x)));
                int cx = (int) Math.round(PHASE_LEFT + (x + 0.5) * cw);
                g.drawString(t, cx - fm.stringWidth(t) / 2, PHASE_HEIGHT - PHASE_BOTTOM + 14);
            }
            for (int y = 0; y < ny; y++) {
                String t = Config.format(round3(d.sigmaB2().get(y)));
                int cy = (int) Math.round(PHASE_TOP + (ny - 0.5 - y) * ch);
                g.drawString(t, PHASE_LEFT - 6 - fm.stringWidth(t), cy + fm.getAscent() / 2);
            }
            String xTitle = "σ_w² = width · weight_std²";
            g.drawString(xTitle, PHASE_LEFT + (int) (nx * cw - fm.stringWidth(xTitle)) / 2, PHASE_HEIGHT - PHASE_BOTTOM + 30);
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            String yTitle = "σ_b² = bias_std²";
            g.drawString(yTitle, -(PHASE_TOP + (int) (ny * ch + fm.stringWidth(yTitle)) / 2), 16);
            g.setTransform(saved);
            // the critical line χ₁ = 1 of the theory, between cell centres
            g.setColor(Color.BLACK);
            g.setStroke(new java.awt.BasicStroke(2.5f));
            java.awt.geom.Path2D.Double path = new java.awt.geom.Path2D.Double();
            double lastY = Double.NaN;
            for (double[] point : d.criticalLine()) {
                double[] p = criticalPoint(d, point, cw, ch);
                if (point[0] == lastY) { // a second crossing on one row: a marker only
                    g.fill(new java.awt.geom.Ellipse2D.Double(p[0] - 4, p[1] - 4, 8, 8));
                    continue;
                }
                if (path.getCurrentPoint() == null) {
                    path.moveTo(p[0], p[1]);
                } else {
                    path.lineTo(p[0], p[1]);
                }
                g.fill(new java.awt.geom.Ellipse2D.Double(p[0] - 4, p[1] - 4, 8, 8));
                lastY = point[0];
            }
            g.draw(path);
            g.setStroke(new java.awt.BasicStroke(1f));
            g.drawString("● — theory's χ₁ = 1 (critical line)", PHASE_LEFT, PHASE_HEIGHT - 12);
            // colour bar: χ₁ from 10^-bound (blue) through 1 (white) to 10^bound (red)
            int bx = PHASE_WIDTH - PHASE_RIGHT + 22;
            int bh = (int) Math.round(ny * ch);
            for (int i = 0; i < bh; i++) {
                g.setColor(diverging(1 - 2.0 * i / Math.max(1, bh - 1)));
                g.drawLine(bx, PHASE_TOP + i, bx + 14, PHASE_TOP + i);
            }
            g.setColor(new Color(27, 27, 27));
            g.drawRect(bx, PHASE_TOP, 14, bh);
            g.drawString(Config.format(Math.pow(10, bound)), bx + 18, PHASE_TOP + fm.getAscent());
            g.drawString("1", bx + 18, PHASE_TOP + bh / 2 + fm.getAscent() / 2);
            g.drawString(Config.format(Math.pow(10, -bound)), bx + 18, PHASE_TOP + bh);
            g.drawString("χ₁", bx, PHASE_TOP - 6);
        } finally {
            g.dispose();
        }
        return out;
    }

    /** The pixel position of a critical-line point {σ_b², σ_w²}: x interpolated between the cells' centres. */
    static double[] criticalPoint(ReportData.PhaseDiagram d, double[] point, double cw, double ch) {
        List<Double> w = d.sigmaW2();
        double pos = 0;
        for (int i = 0; i + 1 < w.size(); i++) {
            if (point[1] >= w.get(i) && point[1] <= w.get(i + 1)) {
                pos = i + (point[1] - w.get(i)) / (w.get(i + 1) - w.get(i));
                break;
            }
        }
        int y = d.sigmaB2().indexOf(point[0]);
        int ny = d.sigmaB2().size();
        return new double[] {PHASE_LEFT + (pos + 0.5) * cw, PHASE_TOP + (ny - 0.5 - y) * ch};
    }

    /** The phase diagram's colour scale runs over χ₁ in 10^±this: the largest |log10 χ₁| rounded up to a decade, at least 1. */
    static double phaseBound(double[][] chi1) {
        double bound = 1;
        for (double[] column : chi1) {
            for (double v : column) {
                if (v > 0 && Double.isFinite(v)) {
                    bound = Math.max(bound, Math.ceil(Math.abs(Math.log10(v))));
                }
            }
        }
        return bound;
    }

    /** t in [−1, 1] → blue … white … red. */
    private static Color diverging(double t) {
        double u = Math.max(-1, Math.min(1, t));
        Color end = u < 0 ? ORDERED : CHAOTIC;
        double a = Math.abs(u);
        return new Color((int) Math.round(255 + (end.getRed() - 255) * a), (int) Math.round(255 + (end.getGreen() - 255) * a),
                (int) Math.round(255 + (end.getBlue() - 255) * a));
    }

    /** A cell's number in at most 3 significant digits: 0.889, 12.3, 1.2e-14, 0, Infinity. */
    static String cellNumber(double v) {
        if (!Double.isFinite(v) || v == 0) {
            return v == 0 ? "0" : String.valueOf(v);
        }
        double a = Math.abs(v);
        return a >= 0.001 && a < 1e5 ? Config.format(round3(v)) : String.format(java.util.Locale.ROOT, "%.2g", v);
    }

    private static double round3(double v) {
        return new java.math.BigDecimal(v).round(new java.math.MathContext(3)).doubleValue();
    }

    /**
     * One configuration's measured values per layer (markers) with the theory's (a line) over them:
     * E[A²] against theory_q on a log axis, or c against theory_c on a linear one.
     */
    static XYChart theoryProfile(String title, String metric, int[] layers, double[] measured, double[] theory, boolean log) {
        XYChart chart = new XYChartBuilder().width(THEORY_WIDTH).height(THEORY_HEIGHT).title(title)
                .xAxisTitle("layer").yAxisTitle(metric).build();
        var s = chart.getStyler();
        plain(s);
        s.setLegendFont(SMALL);
        s.setLegendPosition(Styler.LegendPosition.InsideNE);
        s.setXAxisDecimalPattern("0");
        s.setMarkerSize(6);
        s.setChartPadding(4);
        s.setSeriesColors(new Color[] {BAR, Color.BLACK});
        List<Integer> mx = new ArrayList<>();
        List<Double> my = new ArrayList<>();
        List<Integer> tx = new ArrayList<>();
        List<Double> ty = new ArrayList<>();
        for (int i = 0; i < layers.length; i++) {
            if (Double.isFinite(measured[i]) && (!log || measured[i] > 0)) {
                mx.add(layers[i]);
                my.add(measured[i]);
            }
            if (Double.isFinite(theory[i]) && (!log || theory[i] > 0)) {
                tx.add(layers[i]);
                ty.add(theory[i]);
            }
        }
        s.setYAxisLogarithmic(log && !(my.isEmpty() && ty.isEmpty()));
        if (!mx.isEmpty()) {
            XYSeries m = chart.addSeries("measured", mx, my);
            m.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            m.setMarker(SeriesMarkers.CIRCLE);
        }
        if (!tx.isEmpty()) {
            XYSeries t = chart.addSeries("theory", tx, ty);
            t.setMarker(SeriesMarkers.NONE);
            t.setLineColor(Color.BLACK);
        }
        if (chart.getSeriesCollection().isEmpty()) {
            chart.addSeries("nothing finite", new double[] {1}, new double[] {0}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    static final int TRAINING_WIDTH = 520;
    static final int TRAINING_HEIGHT = 320;
    /** matplotlib's tab10, so a line and its band share a colour. */
    private static final Color[] PALETTE = {new Color(31, 119, 180), new Color(255, 127, 14), new Color(44, 160, 44),
        new Color(214, 39, 40), new Color(148, 103, 189), new Color(140, 86, 75), new Color(227, 119, 194),
        new Color(127, 127, 127), new Color(188, 189, 34), new Color(23, 190, 207)};

    /**
     * Where step 0 is drawn on a log step axis (log 0 is undefined): at half the smallest positive
     * step recorded in the chart (0.5 when step 1 is recorded), left of every other step; 0.5 when
     * there is none.
     */
    static double stepZeroAt(List<int[]> steps) {
        int first = Integer.MAX_VALUE;
        for (int[] s : steps) {
            for (int v : s) {
                if (v > 0) {
                    first = Math.min(first, v);
                }
            }
        }
        return first == Integer.MAX_VALUE ? 0.5 : first / 2.0;
    }

    /** The step axis's title, saying where step 0 is drawn. */
    static String stepAxisTitle(double zeroAt) {
        return "step (log scale; step 0 drawn at " + Config.format(zeroAt) + ")";
    }

    /**
     * Adds one line with its band: the mean against step (step 0 at {@code zeroAt}) and the min–max
     * over seeds as a translucent polygon of the same colour, over the steps whose values a log
     * y axis can show ({@code log}) or that are finite. Returns the points drawn.
     */
    private static int addBandedLine(XYChart chart, String name, Color colour, ReportData.StepSeries s, double zeroAt,
            boolean log) {
        List<Double> xs = new ArrayList<>();
        List<Double> mean = new ArrayList<>();
        List<Double> lo = new ArrayList<>();
        List<Double> hi = new ArrayList<>();
        for (int i = 0; i < s.steps().length; i++) {
            double m = s.mean()[i];
            if (s.seeds()[i] == 0 || !Double.isFinite(m) || log && !(s.min()[i] > 0)) {
                continue;
            }
            xs.add(s.steps()[i] == 0 ? zeroAt : s.steps()[i]);
            mean.add(m);
            lo.add(s.min()[i]);
            hi.add(s.max()[i]);
        }
        if (xs.isEmpty()) {
            return 0;
        }
        if (xs.size() > 1) {
            List<Double> px = new ArrayList<>(xs);
            List<Double> py = new ArrayList<>(hi);
            for (int i = xs.size() - 1; i >= 0; i--) {
                px.add(xs.get(i));
                py.add(lo.get(i));
            }
            XYSeries band = chart.addSeries(name + " (min–max)", px, py);
            band.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.PolygonArea);
            band.setFillColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
            band.setLineColor(new Color(colour.getRed(), colour.getGreen(), colour.getBlue(), 60));
            band.setMarker(SeriesMarkers.NONE);
            band.setShowInLegend(false);
        }
        XYSeries line = chart.addSeries(name, xs, mean);
        line.setLineColor(colour);
        line.setMarkerColor(colour);
        line.setMarker(SeriesMarkers.CIRCLE);
        return xs.size();
    }

    private static XYChart stepChart(String title, String yTitle, double zeroAt) {
        XYChart chart = new XYChartBuilder().width(TRAINING_WIDTH).height(TRAINING_HEIGHT).title(title)
                .xAxisTitle(stepAxisTitle(zeroAt)).yAxisTitle(yTitle).build();
        var s = chart.getStyler();
        plain(s);
        s.setLegendFont(SMALL);
        s.setLegendPosition(Styler.LegendPosition.OutsideE);
        s.setXAxisLogarithmic(true);
        s.setMarkerSize(4);
        s.setChartPadding(6);
        return chart;
    }

    /**
     * One loss (train or test) of a loss-curve panel against step on log axes: per init setting the
     * mean over seeds (a line) and the min–max over seeds (a band of its colour), each over the seeds
     * whose loss is finite at that step, so a diverged seed counts up to its last finite record;
     * that record is marked with a black cross (one legend entry for all).
     */
    static XYChart lossCurves(String title, boolean test, ReportData.LossPanel panel, Set<String> labelColumns) {
        double zeroAt = stepZeroAt(panel.lines().stream().map(l -> l.train().steps()).toList());
        XYChart chart = stepChart(title, test ? "test_loss" : "train_loss", zeroAt);
        chart.getStyler().setYAxisLogarithmic(true);
        List<String> names = Config.distinctLabels(panel.lines().stream().map(ReportData.LossLine::init).toList(),
                c -> c.label(labelColumns));
        int drawn = 0;
        List<Double> crossX = new ArrayList<>();
        List<Double> crossY = new ArrayList<>();
        for (int n = 0; n < panel.lines().size(); n++) {
            ReportData.LossLine line = panel.lines().get(n);
            drawn += addBandedLine(chart, names.get(n), PALETTE[n % PALETTE.length], test ? line.test() : line.train(), zeroAt,
                    true);
            for (ReportData.Divergence d : line.divergences()) {
                int step = test ? d.lastTestStep() : d.lastTrainStep();
                double v = test ? d.lastTest() : d.lastTrain();
                if (step >= 0 && v > 0 && Double.isFinite(v)) {
                    crossX.add(step == 0 ? zeroAt : (double) step);
                    crossY.add(v);
                }
            }
        }
        if (!crossX.isEmpty()) {
            XYSeries crosses = chart.addSeries("× diverged (last finite record)", crossX, crossY);
            crosses.setXYSeriesRenderStyle(XYSeries.XYSeriesRenderStyle.Scatter);
            crosses.setMarker(SeriesMarkers.CROSS);
            crosses.setMarkerColor(Color.BLACK);
        }
        if (drawn == 0) {
            chart.getStyler().setYAxisLogarithmic(false);
            chart.addSeries("no finite loss", new double[] {zeroAt, 1}, new double[] {0, 0}).setMarker(SeriesMarkers.NONE);
        }
        chart.getStyler().setMarkerSize(4);
        return chart;
    }

    /** "diverged: normal std 1 seed 0 at step 2, seed 1 at step 2": a loss panel's diverged seeds; empty when none. */
    static String divergenceCaption(ReportData.LossPanel panel, Set<String> labelColumns) {
        List<String> names = Config.distinctLabels(panel.lines().stream().map(ReportData.LossLine::init).toList(),
                c -> c.label(labelColumns));
        List<String> parts = new ArrayList<>();
        for (int n = 0; n < panel.lines().size(); n++) {
            List<String> seeds = new ArrayList<>();
            for (ReportData.Divergence d : panel.lines().get(n).divergences()) {
                seeds.add("seed " + d.seed() + " at step " + d.at());
            }
            if (!seeds.isEmpty()) {
                parts.add(names.get(n) + " " + String.join(", ", seeds));
            }
        }
        return parts.isEmpty() ? "" : "diverged: " + String.join("; ", parts);
    }

    /**
     * The fewest distinct units over the layers against step, per init setting the mean over seeds
     * (a line) and min–max (a band), y from 0 to the width: a constant init's line stays at 1 (every
     * unit of some layer identical), random inits' near the width.
     */
    static XYChart symmetry(String title, ReportData.SymmetryPanel panel, Set<String> labelColumns) {
        double zeroAt = stepZeroAt(panel.lines().stream().map(l -> l.minDistinct().steps()).toList());
        XYChart chart = stepChart(title, "min over layers of distinct_units", zeroAt);
        var s = chart.getStyler();
        s.setYAxisMin(0.0);
        s.setYAxisMax(Math.max(2.0, panel.width() + 0.5));
        s.setYAxisDecimalPattern("0");
        List<String> names = Config.distinctLabels(panel.lines().stream().map(ReportData.SymmetryLine::init).toList(),
                c -> c.label(labelColumns));
        int drawn = 0;
        for (int n = 0; n < panel.lines().size(); n++) {
            drawn += addBandedLine(chart, names.get(n), PALETTE[n % PALETTE.length], panel.lines().get(n).minDistinct(),
                    zeroAt, false);
        }
        if (drawn == 0) {
            chart.addSeries("no record", new double[] {zeroAt, 1}, new double[] {0, 0}).setMarker(SeriesMarkers.NONE);
        }
        return chart;
    }

    private static final Color TRAINED = new Color(0, 109, 44);

    /** t in [0, 1] → white … dark green: the share of seeds that trained. */
    private static Color sequential(double t) {
        double u = Math.max(0, Math.min(1, t));
        return new Color((int) Math.round(255 + (TRAINED.getRed() - 255) * u), (int) Math.round(255 + (TRAINED.getGreen() - 255) * u),
                (int) Math.round(255 + (TRAINED.getBlue() - 255) * u));
    }

    /**
     * The y pixel of a depth on the trainability map's depth axis: the rows are the grid's depths,
     * evenly spaced, smallest at the bottom; a depth between two rows is placed by linear
     * interpolation between their centres, one outside them by extending the nearest pair's line.
     * Infinity is {@code -Infinity} (above the top).
     */
    static double depthPixel(List<Integer> depths, double depth, double top, double ch) {
        int ny = depths.size();
        if (depth == Double.POSITIVE_INFINITY) {
            return Double.NEGATIVE_INFINITY;
        }
        int i = 0;
        while (i + 2 < ny && depth > depths.get(i + 1)) {
            i++;
        }
        double pos = i + (depth - depths.get(i)) / (double) (depths.get(i + 1) - depths.get(i));
        return top + (ny - 0.5 - pos) * ch;
    }

    /**
     * The trainability map as an image (Java2D, as the phase diagram): a cell per (σ_w², depth) of the
     * grid, coloured by the share of seeds with {@code trained} on a 0–1 scale (white: none, dark
     * green: all) with "k/n" written in it, and the theory's trainable depth 6·ξ_c per σ_w² drawn over
     * it as a black line through the column centres (see {@link #depthPixel}; clipped to the grid,
     * with a triangle at the top edge where 6·ξ_c is above the deepest row and at the bottom where it
     * is below the shallowest). The values of 6·ξ_c are printed under the σ_w² labels.
     */
    static BufferedImage trainability(String title, ReportData.Trainability t) {
        BufferedImage out = new BufferedImage(PHASE_WIDTH, PHASE_HEIGHT, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = heatmapCanvas(out, title);
        try {
            int nx = t.sigmaW2().size();
            int ny = t.depths().size();
            int bottom = PHASE_BOTTOM + 14;
            double cw = (PHASE_WIDTH - PHASE_LEFT - PHASE_RIGHT) / (double) nx;
            double ch = (PHASE_HEIGHT - PHASE_TOP - bottom) / (double) ny;
            g.setFont(SMALL);
            java.awt.FontMetrics fm = g.getFontMetrics();
            for (int x = 0; x < nx; x++) {
                for (int y = 0; y < ny; y++) {
                    java.awt.Rectangle cell = heatmapCell(x, y, ny, cw, ch);
                    int px = cell.x;
                    int py = cell.y;
                    int w = cell.width;
                    int h = cell.height;
                    double v = t.share()[x][y];
                    g.setColor(Double.isNaN(v) ? new Color(235, 235, 235) : sequential(v));
                    g.fillRect(px, py, w, h);
                    g.setColor(v > 0.6 ? Color.WHITE : new Color(27, 27, 27));
                    String text = Double.isNaN(v) ? "—" : t.trained()[x][y] + "/" + t.runs()[x][y];
                    g.drawString(text, px + (w - fm.stringWidth(text)) / 2, py + h / 2 + fm.getAscent() / 2);
                }
            }
            int gridBottom = (int) Math.round(PHASE_TOP + ny * ch);
            g.setColor(new Color(120, 120, 120));
            g.drawRect(PHASE_LEFT, PHASE_TOP, (int) Math.round(nx * cw), (int) Math.round(ny * ch));
            g.setColor(new Color(27, 27, 27));
            for (int x = 0; x < nx; x++) {
                int cx = (int) Math.round(PHASE_LEFT + (x + 0.5) * cw);
                String label = Config.format(round3(t.sigmaW2().get(x)));
                g.drawString(label, cx - fm.stringWidth(label) / 2, gridBottom + 14);
                double d = t.theoryDepth(x);
                String theory = Double.isNaN(d) ? "6ξ_c —" : "6ξ_c " + (d == Double.POSITIVE_INFINITY ? "∞" : cellNumber(d));
                g.drawString(theory, cx - fm.stringWidth(theory) / 2, gridBottom + 28);
            }
            for (int y = 0; y < ny; y++) {
                String label = String.valueOf(t.depths().get(y));
                int cy = (int) Math.round(PHASE_TOP + (ny - 0.5 - y) * ch);
                g.drawString(label, PHASE_LEFT - 6 - fm.stringWidth(label), cy + fm.getAscent() / 2);
            }
            String xTitle = "σ_w² = width · weight_std²";
            g.drawString(xTitle, PHASE_LEFT + (int) (nx * cw - fm.stringWidth(xTitle)) / 2, gridBottom + 44);
            java.awt.geom.AffineTransform saved = g.getTransform();
            g.rotate(-Math.PI / 2);
            String yTitle = "depth";
            g.drawString(yTitle, -(PHASE_TOP + (int) (ny * ch + fm.stringWidth(yTitle)) / 2), 16);
            g.setTransform(saved);
            // the theory's trainable depth 6·ξ_c, clipped to the grid
            g.setColor(Color.BLACK);
            java.awt.Shape clip = g.getClip();
            g.setClip(PHASE_LEFT, PHASE_TOP, (int) Math.round(nx * cw) + 1, (int) Math.round(ny * ch) + 1);
            g.setStroke(new java.awt.BasicStroke(2.5f));
            java.awt.geom.Path2D.Double path = new java.awt.geom.Path2D.Double();
            List<double[]> edges = new ArrayList<>(); // {x, +1 above / −1 below}
            double far = PHASE_HEIGHT * 10.0;
            for (int x = 0; x < nx; x++) {
                double d = t.theoryDepth(x);
                if (Double.isNaN(d)) {
                    path = drawAndRestart(g, path);
                    continue;
                }
                double cx = PHASE_LEFT + (x + 0.5) * cw;
                double py = Math.max(-far, Math.min(far, depthPixel(t.depths(), d, PHASE_TOP, ch)));
                if (py < PHASE_TOP) {
                    edges.add(new double[] {cx, 1});
                } else if (py > gridBottom) {
                    edges.add(new double[] {cx, -1});
                } else {
                    g.fill(new java.awt.geom.Ellipse2D.Double(cx - 4, py - 4, 8, 8));
                }
                if (path.getCurrentPoint() == null) {
                    path.moveTo(cx, py);
                } else {
                    path.lineTo(cx, py);
                }
            }
            g.draw(path);
            g.setStroke(new java.awt.BasicStroke(1f));
            g.setClip(clip);
            for (double[] e : edges) {
                java.awt.geom.Path2D.Double tri = new java.awt.geom.Path2D.Double();
                if (e[1] > 0) { // above the deepest row: a triangle pointing up at the top edge
                    tri.moveTo(e[0], PHASE_TOP - 9);
                    tri.lineTo(e[0] - 6, PHASE_TOP - 1);
                    tri.lineTo(e[0] + 6, PHASE_TOP - 1);
                } else {
                    tri.moveTo(e[0], gridBottom + 9);
                    tri.lineTo(e[0] - 6, gridBottom + 1);
                    tri.lineTo(e[0] + 6, gridBottom + 1);
                }
                tri.closePath();
                g.fill(tri);
            }
            g.drawString("● — theory's trainable depth 6·ξ_c (▲ above the grid)", PHASE_LEFT, PHASE_HEIGHT - 10);
            // colour bar: share trained from 0 (white) to 1 (dark green)
            int bx = PHASE_WIDTH - PHASE_RIGHT + 22;
            int bh = (int) Math.round(ny * ch);
            for (int i = 0; i < bh; i++) {
                g.setColor(sequential(1 - i / (double) Math.max(1, bh - 1)));
                g.drawLine(bx, PHASE_TOP + i, bx + 14, PHASE_TOP + i);
            }
            g.setColor(new Color(27, 27, 27));
            g.drawRect(bx, PHASE_TOP, 14, bh);
            g.drawString("1", bx + 18, PHASE_TOP + fm.getAscent());
            g.drawString("0.5", bx + 18, PHASE_TOP + bh / 2 + fm.getAscent() / 2);
            g.drawString("0", bx + 18, PHASE_TOP + bh);
            g.drawString("trained", bx - 6, PHASE_TOP - 6);
        } finally {
            g.dispose();
        }
        return out;
    }

    private static java.awt.geom.Path2D.Double drawAndRestart(Graphics2D g, java.awt.geom.Path2D.Double path) {
        g.draw(path);
        return new java.awt.geom.Path2D.Double();
    }

    /**
     * Charts side by side in one image under a title line, each with a caption line under it (empty
     * captions leave the line blank): a row of the seed figure, as the seed notebook's subplots.
     */
    static BufferedImage row(String title, List<? extends IChart> charts, List<String> captions) {
        if (charts.isEmpty() || charts.size() != captions.size()) {
            throw new IllegalArgumentException("a row needs one caption per chart, found " + charts.size() + " charts and "
                    + captions.size() + " captions");
        }
        return rowOfImages(title, charts.stream().map(BitmapEncoder::getBufferedImage).toList(), captions);
    }

    /** As {@link #row}, for images already drawn (the phase diagram). */
    static BufferedImage rowOfImages(String title, List<BufferedImage> images, List<String> captions) {
        if (images.isEmpty() || images.size() != captions.size()) {
            throw new IllegalArgumentException("a row needs one caption per chart, found " + images.size() + " charts and "
                    + captions.size() + " captions");
        }
        int width = ROW_PADDING;
        int height = 0;
        for (BufferedImage i : images) {
            width += i.getWidth() + ROW_GAP;
            height = Math.max(height, i.getHeight());
        }
        width += ROW_PADDING - ROW_GAP;
        boolean anyCaption = captions.stream().anyMatch(c -> !c.isEmpty());
        int top = ROW_TITLE_HEIGHT;
        int total = top + height + (anyCaption ? ROW_CAPTION_HEIGHT : ROW_PADDING);
        BufferedImage out = new BufferedImage(width, total, BufferedImage.TYPE_INT_RGB);
        Graphics2D g = out.createGraphics();
        try {
            g.setRenderingHint(RenderingHints.KEY_TEXT_ANTIALIASING, RenderingHints.VALUE_TEXT_ANTIALIAS_ON);
            g.setRenderingHint(RenderingHints.KEY_ANTIALIASING, RenderingHints.VALUE_ANTIALIAS_ON);
            g.setColor(Color.WHITE);
            g.fillRect(0, 0, width, total);
            g.setColor(new Color(27, 27, 27));
            g.setFont(ROW_TITLE);
            g.drawString(title, ROW_PADDING, top - 10);
            int x = ROW_PADDING;
            g.setFont(SMALL);
            for (int k = 0; k < images.size(); k++) {
                BufferedImage i = images.get(k);
                g.drawImage(i, x, top, null);
                String caption = captions.get(k);
                if (!caption.isEmpty()) {
                    g.setColor(CAPTION);
                    int w = g.getFontMetrics().stringWidth(caption);
                    g.drawString(caption, x + Math.max(0, (i.getWidth() - w) / 2), top + height + 14);
                }
                x += i.getWidth() + ROW_GAP;
            }
        } finally {
            g.dispose();
        }
        return out;
    }

    static byte[] png(IChart chart) {
        try {
            return ChartEncoder.getBytes(chart, "png");
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** 37000 → "37k", 1.2e6 → "1.2M": tick labels that fit a small chart. */
    static String compactCount(double v) {
        double a = Math.abs(v);
        if (a >= 1e6) {
            return trim(v / 1e6) + "M";
        }
        if (a >= 1e3) {
            return trim(v / 1e3) + "k";
        }
        return trim(v);
    }

    private static String trim(double v) {
        String s = String.format(java.util.Locale.ROOT, "%.1f", v);
        return s.endsWith(".0") ? s.substring(0, s.length() - 2) : s;
    }

    /** The look every chart shares: title and axis fonts, a white background. */
    private static void plain(org.knowm.xchart.style.AxesChartStyler s) {
        s.setChartTitleFont(TITLE);
        s.setAxisTickLabelsFont(SMALL);
        s.setAxisTitleFont(SMALL);
        s.setChartBackgroundColor(Color.WHITE);
    }
}
