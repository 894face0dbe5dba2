using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Cli.Patching;

/// <summary>One file patched in memory: what was read (<see cref="Loaded"/>), and the engine's report of what was done to it.</summary>
internal sealed record Analysis(LoadedAssembly Loaded, WeaveReport Report) : IDisposable
{
    /// <summary>The patched module, to write or to drop.</summary>
    public ModuleDefinition Module => Loaded.Module;

    /// <summary>The catalog applied.</summary>
    public PatchCatalog Catalog => Loaded.Patcher.Catalog;

    /// <summary>Whether writing the module changes anything a program would notice.</summary>
    public bool Changes => Report.ChangesCode;

    /// <inheritdoc />
    public void Dispose() => Loaded.Dispose();
}
