using Gevent.Cli.Inputs;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Cli.Patching;

/// <summary>
/// One input read and checked, not yet woven: the module, the patcher set up with its catalog, the runtime that
/// catalog came from, the references that could not be found, and catalog conflicts.
/// </summary>
internal sealed record LoadedAssembly(Input Input, ModuleDefinition Module, ModulePatcher Patcher, string RuntimePath, IReadOnlyList<string> Unresolved, IReadOnlyList<string> Conflicts) : IDisposable
{
    /// <inheritdoc />
    public void Dispose() => Module.Dispose();
}
