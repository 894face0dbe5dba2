using System.Reflection;
using System.Runtime.Loader;
using Gevent.Cli.Patching;

namespace Gevent.Cli.Verification;

/// <summary>
/// A collectible load context for one assembly under test: its dependencies come from its own folder
/// (then the runtime shipped with the tool), so the tool's own copies never stand in for the app's.
/// The framework comes from the default context.
/// </summary>
internal sealed class IsolatedLoadContext(string folder) : AssemblyLoadContext("gevent-patch verify", isCollectible: true)
{
    /// <inheritdoc />
    protected override Assembly? Load(AssemblyName name)
    {
        var beside = Path.Combine(folder, name.Name + ".dll");
        if (File.Exists(beside))
        {
            return LoadFromAssemblyPath(beside);
        }

        var runtime = PatchEngine.BundledRuntime;
        return name.Name == Path.GetFileNameWithoutExtension(runtime) ? LoadFromAssemblyPath(runtime) : null;
    }
}
