using ScottPlot;

namespace Gevent.Charts;

/// <summary>One picture: its file in docs/charts/, the bench whose docs/data/BENCH.json it draws, and how.</summary>
/// <param name="Draw">Draws the chart from the data file at the given path.</param>
internal sealed record Chart(string File, string Bench, Func<string, Plot> Draw);
