using ScottPlot;

namespace Gevent.Charts;

/// <summary>
/// The shape every chart here takes: groups along x (connections, workloads), a bar per series in each
/// group (servers, families), each bar labelled with its value, so the picture needs no table beside it
/// to be read.
/// </summary>
internal sealed class GroupedBars
{
    private const double GroupWidth = 0.8;

    public required string Title { get; init; }

    /// <summary>The run the figures come from (date, command, machine, load), printed under the title.</summary>
    public required string Provenance { get; init; }

    public required string GroupAxis { get; init; }

    public required string ValueAxis { get; init; }

    public required IReadOnlyList<string> Groups { get; init; }

    public required IReadOnlyList<Series> Series { get; init; }

    /// <summary>A value as its bar's label and the axis's ticks show it.</summary>
    public required Func<double, string> Format { get; init; }

    /// <summary>
    /// Null for a linear axis with bars from 0. Otherwise a log axis with bars from this value: for ratios 1,
    /// so a bar rises when slower than the reference and falls when faster; for figures that span decades
    /// (120 B to 19 KB) a round value below the smallest, where a linear axis would hide the small bars.
    /// </summary>
    public double? LogFrom { get; init; }

    /// <summary>A dashed line across the chart at this value (the reference a ratio is taken to), or null.</summary>
    public (double Value, string Label)? Reference { get; init; }

    public Plot Draw()
    {
        var plot = new Plot();

        // Named, not detected: the detected font differs by machine, and the SVG would change with it.
        plot.Font.Set("DejaVu Sans");
        plot.Title($"{Title}\n{Provenance}");
        plot.XLabel(GroupAxis);
        plot.YLabel(ValueAxis);
        var palette = new ScottPlot.Palettes.Category10();
        var width = GroupWidth / Series.Count;
        var baseline = LogFrom is { } from ? Math.Log10(from) : 0;
        var (low, high) = (baseline, baseline);
        for (var s = 0; s < Series.Count; s++)
        {
            var colour = palette.GetColor(Series[s].Colour ?? s);
            var bars = new List<Bar>();
            for (var g = 0; g < Groups.Count; g++)
            {
                if (Series[s].Values[g] is not { } value)
                {
                    continue;
                }

                var y = Scale(value);
                (low, high) = (Math.Min(low, y), Math.Max(high, y));
                bars.Add(new Bar
                {
                    Position = g - (GroupWidth / 2) + (width * (s + 0.5)),
                    Value = y,
                    ValueBase = baseline,
                    Size = width * 0.9,
                    FillColor = colour,
                    Label = Format(value),
                });
            }

            var plottable = plot.Add.Bars(bars);
            plottable.LegendText = Series[s].Name;
            plottable.Color = colour;
        }

        if (Reference is var (at, label))
        {
            var line = plot.Add.HorizontalLine(Scale(at), 1.5f, Colors.Black, LinePattern.Dashed);
            line.LegendText = label;
        }

        plot.Axes.Bottom.TickGenerator = new ScottPlot.TickGenerators.NumericManual(
            [.. Enumerable.Range(0, Groups.Count).Select(g => (double)g)], [.. Groups]);
        plot.Axes.Bottom.MajorTickStyle.Length = 0;
        plot.Axes.Left.TickGenerator = LogFrom is null
            ? new ScottPlot.TickGenerators.NumericAutomatic { LabelFormatter = Format }
            : Decades(low, high);

        // Head room above the tallest bar and below the lowest (log axis) for their labels.
        var span = Math.Max(high - low, 1e-9);
        plot.Axes.SetLimits(-0.5, Groups.Count - 0.5, LogFrom is null ? 0 : low - (span * 0.08), high + (span * 0.12));
        plot.ShowLegend(Edge.Bottom).Legend.Orientation = Orientation.Horizontal; // under the bars, where it cannot hide a label
        plot.HideGrid();
        return plot;
    }

    private double Scale(double value) => LogFrom is null ? value : Math.Log10(value);

    /// <summary>A tick at every power of ten the bars span, labelled in the chart's own units.</summary>
    private ScottPlot.TickGenerators.NumericManual Decades(double low, double high)
    {
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        for (var k = (int)Math.Floor(low); k <= (int)Math.Ceiling(high); k++)
        {
            ticks.AddMajor(k, Format(Math.Pow(10, k)));
        }

        return ticks;
    }
}
