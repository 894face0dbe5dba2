using System.ComponentModel;

namespace Gevent.CompilerServices;

/// <summary>
/// The saved state of one activation of a resumable method, kept on the heap while its greenlet is
/// suspended: which call site it was at, and (in a subclass per method) the locals and arguments live
/// across that call. Infrastructure for woven code and the runtime's own blocking points; see
/// <see cref="FrameStack"/>.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public abstract class ResumableFrame
{
    /// <summary>Which of the method's suspendable call sites it was suspended at; it dispatches on this when re-entered.</summary>
    public int State { get; set; }
}
