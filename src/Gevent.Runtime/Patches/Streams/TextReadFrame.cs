using System.Text;
using Gevent.CompilerServices;

namespace Gevent.Patches;

/// <summary>
/// What a text read that loops over several waits (<see cref="GreenStreamReader.ReadToEnd"/>) keeps while its stackless
/// greenlet is suspended in one of them: the text read so far.
/// </summary>
internal sealed class TextReadFrame(StringBuilder text) : ResumableFrame
{
    public StringBuilder Text { get; } = text;
}
