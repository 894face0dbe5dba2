using System.Text.Encodings.Web;
using System.Text.Json;

namespace Gevent.Bench.Data;

/// <summary>
/// <c>docs/data/</c> of the repository the program was built from: where the benches write their results and
/// the chart program reads them, in one JSON dialect.
/// </summary>
public static class DataFolder
{
    /// <summary>
    /// snake_case like gevent_micro.py's keys; "µs" and "+" as they are, since the files are read in diffs and
    /// never put in HTML; a missing or null field is an error, not a zero.
    /// </summary>
    public static readonly JsonSerializerOptions Json = new()
    {
        Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        WriteIndented = true,
        RespectNullableAnnotations = true,
        RespectRequiredConstructorParameters = true,
    };

    /// <summary>
    /// The repository's root (the folder holding Gevent.sln) above the program's binary, else above the
    /// current folder; null when neither is inside the repository.
    /// </summary>
    public static string? RepositoryRoot() =>
        Above(AppContext.BaseDirectory) ?? Above(Directory.GetCurrentDirectory());

    /// <summary>The path of <paramref name="bench"/>'s data file under <paramref name="root"/>.</summary>
    public static string PathOf(string root, string bench) => Path.Combine(root, "docs", "data", bench + ".json");

    public static void Write<TRow>(string path, BenchFile<TRow> file)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(path)!);
        File.WriteAllText(path, JsonSerializer.Serialize(file, Json) + "\n");
    }

    /// <exception cref="JsonException">The file is not a <see cref="BenchFile{TRow}"/> of these rows.</exception>
    public static BenchFile<TRow> Read<TRow>(string path) =>
        JsonSerializer.Deserialize<BenchFile<TRow>>(File.ReadAllText(path), Json)
        ?? throw new JsonException($"{path} holds null");

    private static string? Above(string folder)
    {
        for (var dir = new DirectoryInfo(folder); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "Gevent.sln")))
            {
                return dir.FullName;
            }
        }

        return null;
    }
}
