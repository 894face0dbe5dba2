using System.ComponentModel;

namespace Gevent.CompilerServices;

/// <summary>
/// While open, blocking points of the greenlet pin instead of suspending; see <see cref="FrameStack.Pin"/>.
/// Disposing it closes it.
/// </summary>
[EditorBrowsable(EditorBrowsableState.Never)]
public readonly struct PinScope : IDisposable
{
    private readonly FrameStack? _frames;

    internal PinScope(FrameStack? frames)
    {
        _frames = frames;
    }

    /// <summary>Closes the scope.</summary>
    public void Dispose() => _frames?.Unpin();
}
