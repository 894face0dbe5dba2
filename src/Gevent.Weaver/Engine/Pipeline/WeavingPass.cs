using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// One step of weaving a module. The pipeline runs each pass over every method of the module before the
/// next pass starts, so a pass sees what the earlier ones did to the whole module, not only to the
/// method at hand. A pass inserts code only through <see cref="WeavingContext.Edit"/> and reports what
/// it found through <see cref="WeavingContext.Report"/>.
/// </summary>
internal abstract class WeavingPass
{
    /// <summary>Called once per module, before the pass visits its methods.</summary>
    public virtual void VisitModule(WeavingContext context)
    {
    }

    /// <summary>
    /// Called for every method of the types the filter admits (with or without a body), in module order;
    /// methods added by earlier passes are not visited.
    /// </summary>
    public abstract void VisitMethod(MethodDefinition method, WeavingContext context);
}
