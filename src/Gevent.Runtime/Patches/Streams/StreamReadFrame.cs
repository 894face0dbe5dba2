using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// What a stream read that loops over several waits (<see cref="StreamPatches.ReadExactly(Stream, byte[], int, int)"/>)
/// keeps while its stackless greenlet is suspended in one of them: the bytes read so far (the rest is rebuilt from the
/// arguments its woven caller passes again to resume).
/// </summary>
internal sealed class StreamReadFrame(int done) : ResumableFrame
{
    public int Done { get; } = done;
}
