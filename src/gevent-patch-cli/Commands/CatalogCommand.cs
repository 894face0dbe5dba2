using System.Text.Json;
using System.Text.Json.Nodes;
using Gevent.Cli.Patching;
using Gevent.Weaver;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary><c>gevent-patch catalog</c>: the BCL members this tool's runtime patches, and how.</summary>
[Command("catalog", Description = "List the blocking BCL members that are patched, their replacements and how they cooperate.")]
internal sealed class CatalogCommand : CommandBase
{
    /// <summary>Print a Markdown table (for docs).</summary>
    [Option("--markdown", Description = "Print the table as Markdown, for documentation.")]
    public bool Markdown { get; set; }

    /// <summary>Read the catalog from this runtime instead of the bundled one.</summary>
    [Option("--runtime <FILE>", Description = "Read the catalog of this Gevent.Runtime.dll instead of the one shipped with the tool.")]
    public string? Runtime { get; set; }

    private int OnExecute()
    {
        var runtime = Runtime ?? PatchEngine.BundledRuntime;
        if (!File.Exists(runtime))
        {
            return UsageError($"--runtime {runtime}: no such file.");
        }

        using var engine = new PatchEngine(TypeFilter.All);
        var catalog = engine.RuntimeCatalog(runtime);
        var rows = catalog.Entries.Select(e => new[] { e.OriginalDisplayName, e.Kind.ToString(), e.ReplacementDisplayName, e.Strategy }).ToList();
        string[] headers = ["Original", "Kind", "Replacement", "Strategy"];
        if (Json)
        {
            var entries = new JsonArray(rows.Select(r => (JsonNode?)new JsonObject(headers.Select((h, i) => KeyValuePair.Create(JsonNamingPolicy.CamelCase.ConvertName(h), (JsonNode?)r[i])))).ToArray());
            Output.Reporter.Document(new JsonObject { ["hash"] = catalog.Hash, ["entries"] = entries, ["blockingNativeFunctions"] = Output.Reporter.Array(catalog.BlockingNativeFunctions.Order()) });
        }
        else if (Markdown)
        {
            Console.WriteLine("| " + string.Join(" | ", headers) + " |");
            Console.WriteLine("|" + string.Concat(headers.Select(_ => "---|")));
            rows.ForEach(r => Console.WriteLine("| " + string.Join(" | ", r.Select(c => "`" + c + "`")) + " |"));
        }
        else
        {
            var widths = headers.Select((h, i) => rows.Select(r => r[i].Length).Append(h.Length).Max()).ToArray();
            foreach (var row in rows.Prepend(headers))
            {
                Console.WriteLine(string.Join("  ", row.Select((c, i) => c.PadRight(widths[i]))).TrimEnd());
            }

            Console.WriteLine($"{rows.Count} patches; catalog {catalog.Hash}; {catalog.BlockingNativeFunctions.Count} blocking native functions reported when P/Invoked.");
        }

        return ExitCodes.Ok;
    }
}
