namespace Gevent.Patches;

/// <summary>
/// Names a native function that blocks the calling thread and that patching cannot make cooperative.
/// The weaver reports P/Invoke declarations of these (by entry point name), so a user knows what will
/// still block a hub. Declared once per function on the runtime assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly, AllowMultiple = true, Inherited = false)]
public sealed class BlockingNativeFunctionAttribute(string entryPoint) : Attribute
{
    /// <summary>The function's exported name, e.g. <c>recv</c>.</summary>
    public string EntryPoint { get; } = entryPoint;
}
