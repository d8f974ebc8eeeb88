package io.initsweep.report;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.initsweep.report.ReportData.LayerHistogram;
import io.initsweep.report.ReportData.ProfileLine;
import java.awt.image.BufferedImage;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Set;
import javax.imageio.ImageIO;
import org.junit.jupiter.api.Test;
import org.knowm.xchart.HeatMapChart;
import org.knowm.xchart.XYChart;
import org.knowm.xchart.XYSeries;

/** Figures from hand-made values, no Spark: what is drawn, what is left out and said so, labels. */
class ChartsTest {
    private static Config init(String init, Double std, double weightStd) {
        return new Config(List.of("init", "init_value", "init_std", "weight_std"), Arrays.asList(init, null, std, weightStd));
    }

    @Test
    void aLogAxisLeavesOutZerosAndNonFiniteValuesAndListsThem() {
        List<ProfileLine> lines = List.of(
                new ProfileLine(init("normal", 1.0, 1.0), new int[] {1, 2, 3}, new double[] {0.5, 0.25, 0.125},
                        new double[] {1, 1, 1}, 2),
                new ProfileLine(init("normal", 0.01, 0.01), new int[] {1, 2, 3}, new double[] {1e-3, 0.0, Double.NaN},
                        new double[] {1, 1, 1}, 2),
                new ProfileLine(init("zeros", null, 0.0), new int[] {1, 2, 3}, new double[] {0, 0, 0},
                        new double[] {1, 1, 1}, 2));
        List<String> omitted = new ArrayList<>();
        XYChart chart = Charts.profile("act_std", "act_std", lines, ProfileLine::actStd, Set.of(), omitted);

        assertThat(chart.getSeriesCollection()).extracting(XYSeries::getName).containsExactly("normal, std 1", "normal, std 0.01");
        XYSeries small = chart.getSeries("normal, std 0.01");
        assertThat(small.getXData()).containsExactly(1.0);
        assertThat(small.getYData()).containsExactly(1e-3);
        assertThat(omitted).containsExactly("normal, std 0.01: 2 of 3 layers", "zeros, weight_std 0: 3 of 3 layers");
        assertThat(chart.getStyler().isYAxisLogarithmic()).isTrue();
    }

    @Test
    void chartsRenderToPngsOfTheirSize() throws IOException {
        double[] edges = {0, 0.25, 0.5, 0.75, 1};
        LayerHistogram h = new LayerHistogram(3, edges, new long[] {5, 0, 7, 1}, 2, 0, 0);
        byte[] png = Charts.png(Charts.histogram(h, 7 * 1.05));
        BufferedImage image = ImageIO.read(new ByteArrayInputStream(png));
        assertThat(image.getWidth()).isEqualTo(Charts.HISTOGRAM_WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.HISTOGRAM_HEIGHT);
        assertThat(h.total()).isEqualTo(15);
        assertThat(h.outside()).isEqualTo(2);
    }

    @Test
    void aRowPutsChartsSideBySideUnderItsTitleWithTheirCaptions() {
        double[] edges = {0, 0.5, 1};
        List<LayerHistogram> layers = List.of(new LayerHistogram(1, edges, new long[] {3, 4}, 0, 0, 0),
                new LayerHistogram(2, edges, new long[] {6, 1}, 1, 2, 0));
        BufferedImage row = Charts.row("normal, sigmoid, std 1",
                layers.stream().map(h -> Charts.histogram(h, 7)).toList(),
                layers.stream().map(HtmlReport::outsideCaption).toList());

        assertThat(row.getWidth()).isGreaterThanOrEqualTo(2 * Charts.HISTOGRAM_WIDTH).isLessThan(2 * Charts.HISTOGRAM_WIDTH + 40);
        assertThat(row.getHeight()).isGreaterThan(Charts.HISTOGRAM_HEIGHT + 20).isLessThan(Charts.HISTOGRAM_HEIGHT + 80);
        assertThat(nonWhite(row, 0, 0, row.getWidth(), row.getHeight() - Charts.HISTOGRAM_HEIGHT - 22))
                .as("the title is drawn above the charts").isPositive();
        assertThat(HtmlReport.outsideCaption(layers.get(0))).isEmpty();
        assertThat(HtmlReport.outsideCaption(layers.get(1))).isEqualTo("30.0% outside [0, 1]");
        assertThatThrownBy(() -> Charts.row("t", List.of(Charts.histogram(layers.get(0), 7)), List.of()))
                .isInstanceOf(IllegalArgumentException.class).hasMessageContaining("1 charts and 0 captions");
    }

    private static int nonWhite(BufferedImage image, int x0, int y0, int x1, int y1) {
        int n = 0;
        for (int y = y0; y < y1; y++) {
            for (int x = x0; x < x1; x++) {
                if ((image.getRGB(x, y) & 0xffffff) != 0xffffff) {
                    n++;
                }
            }
        }
        return n;
    }

    @Test
    void labelsNameTheInitActivationAndStdThenWhatVaries() {
        Config c = new Config(List.of("init", "init_value", "activation", "activation_param", "init_std", "weight_std", "width",
                "dtype"), Arrays.asList("constant", 0.5, "leaky_relu", 0.1, null, 0.0, 64, "float32"));
        assertThat(c.label(Set.of())).isEqualTo("constant(0.5), leaky_relu(0.1), weight_std 0");
        assertThat(c.label(Set.of("width", "dtype", "init_std"))).isEqualTo(
                "constant(0.5), leaky_relu(0.1), weight_std 0, width 64, dtype float32");
        assertThat(Config.format(0.35355339059327373)).isEqualTo("0.3536");
        assertThat(Config.format(1.0E-5)).isEqualTo("0.00001");
        assertThat(Charts.compactCount(37_000)).isEqualTo("37k");
        assertThat(Charts.compactCount(1_250_000)).isEqualTo("1.3M");
        assertThat(Charts.compactCount(500)).isEqualTo("500");
    }

    @Test
    void labelsThatCoincideAreToldApartByTheColumnsThatDiffer() {
        List<String> columns = List.of("init", "init_params", "gain", "init_std", "weight_std");
        Config gain1 = new Config(columns, Arrays.asList("kaiming_normal", "kaiming_normal(gain=1, mode=fan_in)", 1.0, null, 0.1));
        Config gain2 = new Config(columns, Arrays.asList("kaiming_normal", "kaiming_normal(gain=2, mode=fan_in)", 2.0, null, 0.1));
        Config fanOut = new Config(columns, Arrays.asList("kaiming_normal", "kaiming_normal(gain=1, mode=fan_out)", 1.0, null,
                0.1));
        // init_params restates the others: named only when nothing else differs
        assertThat(Config.distinctLabels(List.of(gain1, gain2), c -> c.label(Set.of("gain", "init_params"))))
                .containsExactly("kaiming_normal, weight_std 0.1, gain 1", "kaiming_normal, weight_std 0.1, gain 2");
        assertThat(Config.distinctLabels(List.of(gain1, fanOut), c -> c.label(Set.of())))
                .containsExactly("kaiming_normal, weight_std 0.1, init_params kaiming_normal(gain=1, mode=fan_in)",
                        "kaiming_normal, weight_std 0.1, init_params kaiming_normal(gain=1, mode=fan_out)");
    }

    @Test
    void htmlTextIsEscaped() {
        assertThat(HtmlReport.esc("a < b && \"c\" > 'd'")).isEqualTo("a &lt; b &amp;&amp; &quot;c&quot; &gt; &#39;d&#39;");
    }

    @Test
    void theGradientHeatmapLeavesOutNonFiniteCellsAndCentresItsColoursAtZero() {
        List<Config> settings = List.of(init("normal", 0.01, 0.01), init("normal", 1.0, 1.0));
        double[][] values = {{-0.4, Double.NEGATIVE_INFINITY}, {2.3, Double.NaN}};
        ReportData.GradientHeatmap map = new ReportData.GradientHeatmap(new Config(List.of("activation"), List.of("tanh")),
                "init_std", settings, List.of("0.01", "1"), List.of(5, 50), values, new long[][] {{2, 2}, {2, 2}});
        HeatMapChart chart = Charts.gradientHeatmap(map);
        List<Double> drawn = new ArrayList<>();
        for (Number[] c : chart.getHeatMapSeries().getHeatData()) {
            drawn.add(c[2].doubleValue());
        }
        assertThat(drawn).containsExactly(-0.4, 2.3);
        // ±the largest |value| rounded up to a decade: 0 is the scale's middle colour, white
        assertThat(chart.getStyler().getMin()).isEqualTo(-3.0);
        assertThat(chart.getStyler().getMax()).isEqualTo(3.0);
        assertThat(chart.getStyler().getRangeColors()[1]).isEqualTo(java.awt.Color.WHITE);
        assertThat(Charts.gradientBound(new double[][] {{0.2, -0.5}})).isEqualTo(1.0);
        assertThat(chart.getStyler().isShowValue()).isTrue();
    }

    /**
     * The phase diagram from hand-made cells: white where χ₁ = 1, blue below, red above, the critical
     * line black through its points, numbers in at most 3 significant digits.
     */
    @Test
    void thePhaseDiagramColoursAroundOneAndDrawsTheCriticalLine() {
        List<Double> w = List.of(0.5, 1.0, 2.0);
        List<Double> b = List.of(0.0, 0.25);
        double[][] chi1 = {{0.5, 0.6}, {1.0, 1.0}, {2.0, 1.5}};
        List<double[]> line = ReportData.criticalLine(w, b, chi1);
        // σ_b² = 0: χ₁ is 1 at the grid value 1 (counted once); σ_b² = 0.25: 0.6 → 1.0 at 1
        assertThat(line).hasSize(2);
        assertThat(line.get(0)).containsExactly(0.0, 1.0);
        assertThat(line.get(1)).containsExactly(0.25, 1.0);
        assertThat(ReportData.criticalLine(w, b, new double[][] {{0.5, 0.5}, {0.75, 0.75}, {1.5, 3.0}}))
                .extracting(p -> p[1]).containsExactly(1.0 + 0.25 * 1.0 / 0.75, 1.0 + 0.25 / 2.25);
        ReportData.PhaseDiagram d = new ReportData.PhaseDiagram(new Config(List.of("activation"), List.of("tanh")), true, w, b,
                chi1, new long[][] {{2, 2}, {2, 2}, {2, 2}}, 3, new double[][] {{1, 1}, {0, 0}, {1, 1}}, line);
        BufferedImage image = Charts.phaseDiagram("t", d);
        assertThat(image.getWidth()).isEqualTo(Charts.PHASE_WIDTH);
        assertThat(image.getHeight()).isEqualTo(Charts.PHASE_HEIGHT);
        double cw = (Charts.PHASE_WIDTH - 70 - 110) / 3.0;
        double ch = (Charts.PHASE_HEIGHT - 34 - 64) / 2.0;
        double[] p = Charts.criticalPoint(d, line.get(0), cw, ch);
        assertThat(image.getRGB((int) p[0], (int) p[1]) & 0xffffff).isEqualTo(0);
        // a cell's corner: white at χ₁ = 1 (column 1), blue-ish at 0.5 (column 0), red-ish at 2 (column 2)
        int y = (int) (34 + 2 * ch) - 3;
        int white = image.getRGB((int) (70 + cw) + 3, y) & 0xffffff;
        int blue = image.getRGB(70 + 3, y);
        int red = image.getRGB((int) (70 + 2 * cw) + 3, y);
        assertThat(white).isEqualTo(0xffffff);
        assertThat(blue & 0xff).isGreaterThan((blue >> 16) & 0xff);
        assertThat((red >> 16) & 0xff).isGreaterThan(red & 0xff);
        assertThat(Charts.cellNumber(0.88912)).isEqualTo("0.889");
        assertThat(Charts.cellNumber(1.2e-14)).isEqualTo("1.2e-14");
        assertThat(Charts.cellNumber(0)).isEqualTo("0");
    }
}
