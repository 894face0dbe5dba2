using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Cli.Patching;

/// <summary>
/// One file patched in memory: the module (to write, or to drop), the engine's report, the catalog
/// applied and the runtime it came from, the references that could not be found, and catalog conflicts.
/// </summary>
internal sealed record Analysis(ModuleDefinition Module, WeaveReport Report, PatchCatalog Catalog, string RuntimePath, IReadOnlyList<string> Unresolved, IReadOnlyList<string> Conflicts) : IDisposable
{
    /// <summary>Whether writing the module changes anything a program would notice.</summary>
    public bool Changes => !Report.AlreadyPatched && Report.RewrittenCount > 0;

    /// <inheritdoc />
    public void Dispose() => Module.Dispose();
}
