namespace Gevent.Charts;

/// <summary>One colour of a <see cref="GroupedBars"/> chart: its name in the legend and a value per group, null where it has none.</summary>
/// <param name="Colour">Its index in the palette, so a family keeps its colour from chart to chart; null: its place in the chart.</param>
internal sealed record Series(string Name, IReadOnlyList<double?> Values, int? Colour = null);
