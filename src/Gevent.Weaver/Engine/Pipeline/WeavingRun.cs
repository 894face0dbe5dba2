using System;
using System.Collections.Generic;

namespace Gevent.Weaver;

/// <summary>
/// The modules woven together in one run (the inputs of one <c>gevent-patch</c> run, or the one module Fody
/// weaves), as their passes share it: a pass that must see the whole program (the resumable frames link calls
/// from one assembly into another) keeps its run-wide state here, one instance per kind.
/// </summary>
internal sealed class WeavingRun
{
    private readonly List<WeavingContext> _modules = new();
    private readonly Dictionary<Type, object> _shared = new();

    /// <summary>The modules of the run, in the order given.</summary>
    public IReadOnlyList<WeavingContext> Modules => _modules;

    /// <summary>The run's one <typeparamref name="T"/>, created by the first pass that asks.</summary>
    public T Shared<T>()
        where T : class, new()
    {
        if (!_shared.TryGetValue(typeof(T), out var state))
        {
            _shared.Add(typeof(T), state = new T());
        }

        return (T)state;
    }

    /// <summary>Called by the pipeline for each module it weaves in this run.</summary>
    internal void Add(WeavingContext module) => _modules.Add(module);
}
