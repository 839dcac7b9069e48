package dev.keel.examples.report;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedDomainXYPlot;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.DeviationRenderer;
import org.jfree.chart.title.TextTitle;
import org.jfree.data.xy.YIntervalSeries;
import org.jfree.data.xy.YIntervalSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Paint;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;

/** PNG line charts with a shaded band of one standard deviation around each mean line (JFreeChart). */
public final class Charts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Paint[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd),
        new Color(0xff7f0e), new Color(0x8c564b), new Color(0xe377c2), new Color(0x7f7f7f),
    };

    /** One line: mean values at x, with a band of ± std (std may be null: no band). */
    public record Line(String name, double[] x, double[] mean, double[] std) {
    }

    /** One panel: a y-axis label and its lines. */
    public record Panel(String yLabel, List<Line> lines) {
    }

    private Charts() {
    }

    /** Panels stacked over one shared x axis, written as a PNG. */
    public static void write(Path png, String title, String xLabel, List<Panel> panels, int width, int height)
            throws IOException {
        NumberAxis xAxis = new NumberAxis(xLabel);
        xAxis.setAutoRangeIncludesZero(false);
        boolean integerX = panels.stream().flatMap(p -> p.lines().stream())
                .allMatch(l -> java.util.Arrays.stream(l.x()).allMatch(v -> v == Math.rint(v)));
        if (integerX) {
            xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
        }
        CombinedDomainXYPlot combined = new CombinedDomainXYPlot(xAxis);
        combined.setGap(12);
        for (Panel panel : panels) {
            YIntervalSeriesCollection data = new YIntervalSeriesCollection();
            DeviationRenderer renderer = new DeviationRenderer(true, true);
            renderer.setAlpha(0.18f);
            int i = 0;
            for (Line line : panel.lines()) {
                YIntervalSeries series = new YIntervalSeries(line.name());
                for (int k = 0; k < line.x().length; k++) {
                    double m = line.mean()[k];
                    if (Double.isFinite(m)) {
                        double s = line.std() == null || !Double.isFinite(line.std()[k]) ? 0 : line.std()[k];
                        series.add(line.x()[k], m, m - s, m + s);
                    }
                }
                data.addSeries(series);
                Paint paint = PALETTE[i % PALETTE.length];
                renderer.setSeriesPaint(i, paint);
                renderer.setSeriesFillPaint(i, paint);
                renderer.setSeriesStroke(i, new BasicStroke(2f));
                renderer.setSeriesShape(i, new java.awt.geom.Ellipse2D.Double(-2.5, -2.5, 5, 5));
                renderer.setSeriesVisibleInLegend(i, panel == panels.get(0)); // one legend for all panels
                i++;
            }
            NumberAxis yAxis = new NumberAxis(panel.yLabel());
            yAxis.setAutoRangeIncludesZero(false);
            XYPlot plot = new XYPlot(data, null, yAxis, renderer);
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0xdddddd));
            plot.setRangeGridlinePaint(new Color(0xdddddd));
            combined.add(plot, 1);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, combined, true);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 15)));
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }
}
