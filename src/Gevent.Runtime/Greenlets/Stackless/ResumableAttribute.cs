using System.ComponentModel;

namespace Gevent.CompilerServices;

/// <summary>
/// Marks a method that follows the <see cref="FrameStack"/> contract: it can save itself and return when
/// a blocking point below it suspends, and be re-entered to resume. <see cref="ResumableGreenlet"/> runs a
/// greenlet without a thread of its own only when its body carries this mark.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
[AttributeUsage(AttributeTargets.Method | AttributeTargets.Constructor, Inherited = false)]
public sealed class ResumableAttribute : Attribute
{
}
