using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Blocking points outside the catalog: methods of assemblies that are not woven together with the analysed ones
/// but already follow the frame contract, marked <c>[Resumable]</c>: the runtime's own waits that code written for
/// Gevent calls directly (<c>Greenlet.Sleep</c>, <c>Yield</c>, <c>Join</c>, <c>GreenEvent.Wait</c>,
/// <c>GreenQueue.Get</c>/<c>Put</c>), and the methods of an assembly woven earlier. A call of one may suspend, and
/// a resumable caller may link to it.
/// </summary>
internal sealed class ResumableCallees(IEnumerable<ModuleDefinition> analysed)
{
    private readonly HashSet<string> _analysed = new(analysed.Select(m => m.Assembly.Name.Name));

    /// <summary>Whether <paramref name="callee"/> is marked <c>[Resumable]</c> and lies outside the analysed set.</summary>
    public bool Contains(MethodReference callee) =>
        callee.DeclaringType.Scope is AssemblyNameReference scope
        && !_analysed.Contains(scope.Name)
        && Resolution.OrNull(callee.Resolve) is { } definition
        && FrameContract.IsResumable(definition);
}
