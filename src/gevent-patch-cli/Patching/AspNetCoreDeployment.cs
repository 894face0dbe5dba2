using System.Text.Json;
using System.Text.Json.Nodes;

namespace Gevent.Cli.Patching;

/// <summary>
/// Makes an ASP.NET Core app folder able to run its requests in greenlets with no code change: copies
/// Gevent.AspNetCore (and the runtime it calls) into it and lists both in its deps.json, because the host loads a
/// hosting startup assembly named in <c>ASPNETCORE_HOSTINGSTARTUPASSEMBLIES</c> only when the deps.json lists it.
/// </summary>
internal static class AspNetCoreDeployment
{
    /// <summary>The hosting startup assembly; its name is what users put in the environment variable, so it never changes.</summary>
    public const string AssemblyName = "Gevent.AspNetCore";

    /// <summary>The environment setting that turns it on.</summary>
    public const string EnvironmentSetting = "ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=" + AssemblyName;

    /// <summary>The Gevent.AspNetCore.dll shipped with this tool.</summary>
    public static string Bundled { get; } = Path.Combine(AppContext.BaseDirectory, AssemblyName + ".dll");

    /// <summary>Deploys Gevent.AspNetCore into <paramref name="folder"/> when it holds an ASP.NET Core app; returns what was done.</summary>
    /// <exception cref="JsonException">The app's runtimeconfig.json or deps.json is not valid.</exception>
    public static IEnumerable<string> Ensure(string folder, bool backup)
    {
        if (DepsJson.Find(folder) is not { } deps || !IsAspNetCoreApp(deps))
        {
            return [];
        }

        // The runtime first: Gevent.AspNetCore calls it, and an app that carries its own keeps it.
        return RuntimeDeployment.Ensure(folder, PatchEngine.RuntimeFor(folder), isAppFolder: true, backup)
            .Concat(RuntimeDeployment.Ensure(folder, Bundled, isAppFolder: true, backup))
            .Append($"ASP.NET Core app: start it with {EnvironmentSetting} to run every request in a greenlet")
            .ToList();
    }

    /// <summary>
    /// Whether the app of <paramref name="depsPath"/> runs on the ASP.NET Core shared framework (its runtimeconfig.json
    /// names Microsoft.AspNetCore.App) or carries ASP.NET Core itself (its deps.json lists a Microsoft.AspNetCore.* library).
    /// </summary>
    private static bool IsAspNetCoreApp(string depsPath)
    {
        var runtimeConfig = depsPath[..^".deps.json".Length] + ".runtimeconfig.json";
        var options = DepsJson.ReadObject(runtimeConfig)["runtimeOptions"];
        var frameworks = options?["frameworks"] as JsonArray ?? [];
        var names = frameworks.Append(options?["framework"]).Select(f => f?["name"]?.GetValue<string>());
        return names.Contains("Microsoft.AspNetCore.App") || DepsJson.Lists(depsPath, "Microsoft.AspNetCore.", prefix: true);
    }
}
