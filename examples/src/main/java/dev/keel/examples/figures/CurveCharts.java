package dev.keel.examples.figures;

import org.jfree.chart.ChartUtils;
import org.jfree.chart.JFreeChart;
import org.jfree.chart.annotations.XYTitleAnnotation;
import org.jfree.chart.block.ColumnArrangement;
import org.jfree.chart.axis.NumberAxis;
import org.jfree.chart.plot.CombinedRangeXYPlot;
import org.jfree.chart.plot.IntervalMarker;
import org.jfree.chart.plot.SeriesRenderingOrder;
import org.jfree.chart.plot.XYPlot;
import org.jfree.chart.renderer.xy.XYLineAndShapeRenderer;
import org.jfree.chart.title.LegendTitle;
import org.jfree.chart.title.TextTitle;
import org.jfree.chart.ui.Layer;
import org.jfree.chart.ui.RectangleAnchor;
import org.jfree.chart.ui.RectangleEdge;
import org.jfree.chart.ui.RectangleInsets;
import org.jfree.chart.ui.TextAnchor;
import org.jfree.data.xy.XYSeries;
import org.jfree.data.xy.XYSeriesCollection;

import java.awt.BasicStroke;
import java.awt.Color;
import java.awt.Font;
import java.awt.Stroke;
import java.io.IOException;
import java.nio.file.Path;

/**
 * Line charts of {@link LossCurves.Sweep}s as PNG (JFreeChart): one panel per
 * {@link LossCurves.Panel}, side by side over a shared y axis, each with its own legend. With a
 * reference, each panel's first curve is drawn black, wide and underneath (cross entropy), the others
 * in colour with distinct dash patterns on top, so curves that coincide (a gated loss below its
 * margin is cross entropy) stay visible. The x axis runs over [0, 1] when every x lies there
 * (probabilities), else over the data with whole-number ticks (epochs).
 */
public final class CurveCharts {

    static {
        System.setProperty("java.awt.headless", "true");
    }

    private static final Color[] PALETTE = {
        new Color(0x1f77b4), new Color(0xd62728), new Color(0x2ca02c), new Color(0x9467bd), new Color(0xff7f0e),
    };
    private static final float[][] DASHES = {{10f, 5f}, {4f, 4f}, {12f, 4f, 3f, 4f}, {2f, 3f}, {16f, 6f}};

    /** A band of x to shade, with a label. */
    public record Shade(double from, double to, String label) {
    }

    private CurveCharts() {
    }

    /**
     * Writes the sweep as a PNG.
     *
     * @param yMin   lower end of the y axis (with {@code yMax})
     * @param yMax   upper end of the y axis, or NaN for automatic
     * @param shade  an x interval to shade in every panel, or null
     * @param firstIsReference draw each panel's first curve black, wide and solid, under the others
     */
    public static void write(Path png, String title, String xLabel, String yLabel, LossCurves.Sweep sweep, double yMin,
                      double yMax, Shade shade, boolean firstIsReference, int width, int height) throws IOException {
        NumberAxis yAxis = new NumberAxis(yLabel);
        if (!Double.isNaN(yMax)) {
            yAxis.setRange(yMin, yMax);
        }
        CombinedRangeXYPlot combined = new CombinedRangeXYPlot(yAxis);
        combined.setGap(14);
        boolean onePanel = sweep.panels().size() == 1;
        boolean probabilities = java.util.Arrays.stream(sweep.x()).allMatch(x -> x >= 0 && x <= 1);
        for (LossCurves.Panel panel : sweep.panels()) {
            XYSeriesCollection data = new XYSeriesCollection();
            XYLineAndShapeRenderer renderer = new XYLineAndShapeRenderer(true, false);
            int i = 0;
            for (LossCurves.Curve curve : panel.curves()) {
                XYSeries series = new XYSeries(curve.name(), false, true);
                for (int k = 0; k < sweep.x().length; k++) {
                    if (Double.isFinite(curve.y()[k])) {
                        series.add(sweep.x()[k], curve.y()[k]);
                    }
                }
                data.addSeries(series);
                boolean reference = firstIsReference && i == 0;
                int style = firstIsReference ? i - 1 : i;
                renderer.setSeriesPaint(i, reference ? Color.BLACK : PALETTE[style % PALETTE.length]);
                renderer.setSeriesStroke(i, reference ? new BasicStroke(3.5f) : stroke(style, firstIsReference));
                i++;
            }
            NumberAxis xAxis = new NumberAxis(panel.title().isEmpty() ? xLabel : xLabel + "  —  " + panel.title());
            if (probabilities) {
                xAxis.setRange(0, 1);
            } else {
                xAxis.setStandardTickUnits(NumberAxis.createIntegerTickUnits());
                xAxis.setAutoRangeIncludesZero(false);
            }
            XYPlot plot = new XYPlot(data, xAxis, null, renderer);
            plot.setSeriesRenderingOrder(SeriesRenderingOrder.FORWARD); // the reference first, underneath
            plot.setBackgroundPaint(Color.WHITE);
            plot.setDomainGridlinePaint(new Color(0xdddddd));
            plot.setRangeGridlinePaint(new Color(0xdddddd));
            if (shade != null) {
                IntervalMarker band = new IntervalMarker(shade.from(), shade.to(), new Color(255, 200, 60, 70));
                band.setLabel(shade.label());
                band.setLabelFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
                band.setLabelAnchor(RectangleAnchor.CENTER);
                band.setLabelTextAnchor(TextAnchor.CENTER);
                plot.addDomainMarker(band, Layer.BACKGROUND);
            }
            if (!onePanel) {
                LegendTitle legend = new LegendTitle(plot, new ColumnArrangement(), new ColumnArrangement());
                legend.setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 12));
                legend.setBackgroundPaint(new Color(255, 255, 255, 220));
                legend.setFrame(new org.jfree.chart.block.BlockBorder(new Color(0xaaaaaa)));
                legend.setMargin(new RectangleInsets(4, 4, 4, 4));
                plot.addAnnotation(new XYTitleAnnotation(0.98, 0.98, legend, RectangleAnchor.TOP_RIGHT));
            }
            combined.add(plot, 1);
        }
        JFreeChart chart = new JFreeChart(null, JFreeChart.DEFAULT_TITLE_FONT, combined, onePanel);
        chart.setTitle(new TextTitle(title, new Font(Font.SANS_SERIF, Font.BOLD, 16)));
        if (onePanel) {
            chart.getLegend().setPosition(RectangleEdge.BOTTOM);
            chart.getLegend().setItemFont(new Font(Font.SANS_SERIF, Font.PLAIN, 13));
        }
        chart.setBackgroundPaint(Color.WHITE);
        ChartUtils.saveChartAsPNG(png.toFile(), chart, width, height);
    }

    /** Solid for the first curve of a chart without reference, else a dash pattern by index. */
    private static Stroke stroke(int style, boolean dashed) {
        if (!dashed && style == 0) {
            return new BasicStroke(3.5f);
        }
        return new BasicStroke(2.2f, BasicStroke.CAP_BUTT, BasicStroke.JOIN_ROUND, 10f,
                DASHES[style % DASHES.length], 0f);
    }
}
