using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using Gevent.Cli.Files;

namespace Gevent.Cli.Patching;

/// <summary>
/// The app's <c>*.deps.json</c>: when it exists the host loads only the assemblies it lists, so the
/// runtime that patched code calls must be listed too (as a project library whose runtime asset sits
/// in the app folder).
/// </summary>
internal static class DepsJson
{
    /// <summary>The app's deps.json in <paramref name="folder"/>: the one beside a runtimeconfig.json of the same app.</summary>
    public static string? Find(string folder) =>
        Directory.EnumerateFiles(folder, "*.deps.json")
            .Order(StringComparer.Ordinal)
            .FirstOrDefault(f => File.Exists(f[..^".deps.json".Length] + ".runtimeconfig.json"));

    /// <summary>
    /// Whether <paramref name="depsPath"/> lists a library named <paramref name="name"/> (with <paramref name="prefix"/>,
    /// one whose name starts with it).
    /// </summary>
    public static bool Lists(string depsPath, string name, bool prefix = false) =>
        Object(ReadObject(depsPath), "libraries").Any(l => l.Key.StartsWith(prefix ? name : name + "/", StringComparison.Ordinal));

    /// <summary>Lists <paramref name="assemblyPath"/> in <paramref name="depsPath"/> as a project library.</summary>
    public static void Add(string depsPath, string assemblyPath)
    {
        var identity = AssemblyName.GetAssemblyName(assemblyPath);
        var name = identity.Name!;
        var root = ReadObject(depsPath);
        var libraries = Object(root, "libraries");
        var targetName = root["runtimeTarget"]?["name"]?.GetValue<string>() ?? throw new JsonException($"{depsPath} names no runtimeTarget.");
        var library = $"{name}/{identity.Version!.ToString(3)}";
        var version = identity.Version.ToString();
        Object(Object(root, "targets"), targetName)[library] = new JsonObject
        {
            ["runtime"] = new JsonObject { [Path.GetFileName(assemblyPath)] = new JsonObject { ["assemblyVersion"] = version, ["fileVersion"] = version } },
        };
        libraries[library] = new JsonObject { ["type"] = "project", ["serviceable"] = false, ["sha512"] = "" };
        AtomicFile.WriteText(depsPath, root.ToJsonString(new JsonSerializerOptions { WriteIndented = true }));
    }

    /// <summary>The JSON object in <paramref name="path"/> (a deps.json or runtimeconfig.json).</summary>
    /// <exception cref="JsonException">The file is not a JSON object; the message names the file and what is wrong.</exception>
    public static JsonObject ReadObject(string path)
    {
        JsonNode? root;
        try
        {
            root = JsonNode.Parse(File.ReadAllText(path));
        }
        catch (JsonException e)
        {
            throw new JsonException($"{path} is not valid JSON: {e.Message}", e);
        }

        return root as JsonObject ?? throw new JsonException($"{path} does not hold a JSON object.");
    }

    private static JsonObject Object(JsonObject parent, string key) =>
        parent[key] as JsonObject ?? throw new JsonException($"deps.json has no '{key}' object.");
}
