using System.Text.Json;
using Gevent.Bench.Data;
using Gevent.Charts;

// Draws every chart whose bench has written docs/data/BENCH.json; says which it skipped and why.
if (DataFolder.RepositoryRoot() is not { } root)
{
    Console.Error.WriteLine("run from the repository (no Gevent.sln above the binary or the current folder)");
    return 1;
}

var output = Path.Combine(root, "docs", "charts");
Directory.CreateDirectory(output);
var failed = false;
foreach (var chart in Charts.All)
{
    var data = DataFolder.PathOf(root, chart.Bench);
    var relative = Path.GetRelativePath(root, data);
    if (!File.Exists(data))
    {
        Console.WriteLine($"skipped {chart.File}: no {relative} (dotnet run -c Release --project bench/Gevent.Bench -- {chart.Bench} writes it)");
        continue;
    }

    try
    {
        var file = Path.Combine(output, chart.File);
        chart.Draw(data).SaveSvg(file, 900, 500);
        Console.WriteLine($"drew {Path.GetRelativePath(root, file)} from {relative}");
    }
    catch (JsonException e)
    {
        // A bench that writes another shape than Gevent.Bench.Data's records is a bug to fix, not a chart to skip quietly.
        Console.Error.WriteLine($"could not draw {chart.File}: {relative} is not the shape Gevent.Bench.Data expects: {e.Message}");
        failed = true;
    }
}

return failed ? 1 : 0;
