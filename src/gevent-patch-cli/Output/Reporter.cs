using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gevent.Cli.Output;

/// <summary>
/// Where messages go: results to standard output, errors and warnings to standard error, details
/// only with <c>--verbose</c>. With <c>--json</c> standard output carries the JSON document alone.
/// </summary>
internal sealed class Reporter(bool verbose, bool json)
{
    /// <summary>Whether standard output is reserved for JSON.</summary>
    public bool Json => json;

    /// <summary>A result line for people.</summary>
    public void Line(string text)
    {
        if (!json)
        {
            Console.Out.WriteLine(text);
        }
    }

    /// <summary>A line shown only with --verbose.</summary>
    public void Detail(string text)
    {
        if (verbose)
        {
            Line(text);
        }
    }

    /// <summary>Something the user should read, though the command goes on.</summary>
    public static void Warning(string text) => Console.Error.WriteLine("warning: " + text);

    /// <summary>A failure.</summary>
    public static void Error(string text) => Console.Error.WriteLine("error: " + text);

    private static readonly JsonSerializerOptions s_indented = new() { WriteIndented = true };

    /// <summary>The JSON document of a --json run.</summary>
    public static void Document(JsonNode document) => Console.Out.WriteLine(document.ToJsonString(s_indented));

    /// <summary>A JSON array of <paramref name="values"/>.</summary>
    public static JsonArray Array(IEnumerable<string> values) => new(values.Select(v => (JsonNode?)v).ToArray());
}
