namespace Gevent;

/// <summary>
/// The weaver's opt-out, declared here as a user would: matched by its full name, so no reference is needed,
/// and removed from the woven assembly.
/// </summary>
[AttributeUsage(AttributeTargets.Assembly | AttributeTargets.Class | AttributeTargets.Struct | AttributeTargets.Method | AttributeTargets.Constructor)]
internal sealed class SkipWeavingAttribute : Attribute;
