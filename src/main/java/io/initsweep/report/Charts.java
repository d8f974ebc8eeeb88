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
        s.setChartTitleFont(TITLE);
        s.setAxisTickLabelsFont(SMALL);
        s.setAxisTitleFont(SMALL);
        s.setChartBackgroundColor(Color.WHITE);
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
        s.setChartTitleFont(TITLE);
        s.setAxisTickLabelsFont(SMALL);
        s.setAxisTitleFont(SMALL);
        s.setChartBackgroundColor(Color.WHITE);
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
        s.setChartTitleFont(TITLE);
        s.setAxisTickLabelsFont(SMALL);
        s.setAxisTitleFont(SMALL);
        s.setLegendFont(SMALL);
        s.setChartBackgroundColor(Color.WHITE);
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
        s.setChartTitleFont(TITLE);
        s.setAxisTickLabelsFont(SMALL);
        s.setAxisTitleFont(SMALL);
        s.setLegendFont(SMALL);
        s.setChartBackgroundColor(Color.WHITE);
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

    /**
     * Charts side by side in one image under a title line, each with a caption line under it (empty
     * captions leave the line blank): a row of the seed figure, as the seed notebook's subplots.
     */
    static BufferedImage row(String title, List<? extends IChart> charts, List<String> captions) {
        if (charts.isEmpty() || charts.size() != captions.size()) {
            throw new IllegalArgumentException("a row needs one caption per chart, found " + charts.size() + " charts and "
                    + captions.size() + " captions");
        }
        List<BufferedImage> images = charts.stream().map(BitmapEncoder::getBufferedImage).toList();
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
}
