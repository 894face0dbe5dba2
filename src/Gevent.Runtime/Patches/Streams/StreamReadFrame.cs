using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// What a read that loops over several waits (<see cref="StreamPatches.ReadExactly(Stream, byte[], int, int)"/>,
/// <see cref="GreenStreamReader.Read(char[], int, int)"/>) keeps while its stackless greenlet is suspended in one of
/// them: the bytes or characters read so far (the rest is rebuilt from the arguments its woven caller passes again to
/// resume).
/// </summary>
internal sealed class StreamReadFrame(int done) : ResumableFrame
{
    public int Done { get; } = done;
}
