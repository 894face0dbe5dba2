using System.Text;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>Every <see cref="TextWriterPatches"/> overload: the original's output and exceptions, and cooperation on a full pipe.</summary>
public class TextWriterOverloadTests
{
    private static readonly object?[] s_fourArguments = ["a", 1, null, 'c'];

    /// <summary>Each overload's original call and its replacement, writing the same arguments.</summary>
    private static readonly Dictionary<string, (Action<TextWriter> Original, Action<TextWriter> Replacement)> s_writes = new()
    {
        ["Write(string)"] = (w => w.Write("ab"), w => TextWriterPatches.Write(w, "ab")),
        ["WriteLine(string)"] = (w => w.WriteLine("ab"), w => TextWriterPatches.WriteLine(w, "ab")),
        ["Write(char)"] = (w => w.Write('x'), w => TextWriterPatches.Write(w, 'x')),
        ["WriteLine(char)"] = (w => w.WriteLine('x'), w => TextWriterPatches.WriteLine(w, 'x')),
        ["Write(char[])"] = (w => w.Write("abc".ToCharArray()), w => TextWriterPatches.Write(w, "abc".ToCharArray())),
        ["WriteLine(char[])"] = (w => w.WriteLine("abc".ToCharArray()), w => TextWriterPatches.WriteLine(w, "abc".ToCharArray())),
        ["Write(char[], int, int)"] = (w => w.Write("abcd".ToCharArray(), 1, 2), w => TextWriterPatches.Write(w, "abcd".ToCharArray(), 1, 2)),
        ["WriteLine(char[], int, int)"] = (w => w.WriteLine("abcd".ToCharArray(), 1, 2), w => TextWriterPatches.WriteLine(w, "abcd".ToCharArray(), 1, 2)),
        ["Write(ReadOnlySpan<char>)"] = (w => w.Write("span".AsSpan(1)), w => TextWriterPatches.Write(w, "span".AsSpan(1))),
        ["WriteLine(ReadOnlySpan<char>)"] = (w => w.WriteLine("span".AsSpan(1)), w => TextWriterPatches.WriteLine(w, "span".AsSpan(1))),
        ["WriteLine()"] = (w => w.WriteLine(), TextWriterPatches.WriteLine),
        ["Write(object)"] = (w => w.Write((object)42), w => TextWriterPatches.Write(w, (object)42)),
        ["WriteLine(object)"] = (w => w.WriteLine((object)42), w => TextWriterPatches.WriteLine(w, (object)42)),
        ["Write(bool)"] = (w => w.Write(true), w => TextWriterPatches.Write(w, true)),
        ["WriteLine(bool)"] = (w => w.WriteLine(true), w => TextWriterPatches.WriteLine(w, true)),
        ["Write(int)"] = (w => w.Write(-42), w => TextWriterPatches.Write(w, -42)),
        ["WriteLine(int)"] = (w => w.WriteLine(-42), w => TextWriterPatches.WriteLine(w, -42)),
        ["Write(uint)"] = (w => w.Write(42u), w => TextWriterPatches.Write(w, 42u)),
        ["WriteLine(uint)"] = (w => w.WriteLine(42u), w => TextWriterPatches.WriteLine(w, 42u)),
        ["Write(long)"] = (w => w.Write(-4_200_000_000L), w => TextWriterPatches.Write(w, -4_200_000_000L)),
        ["WriteLine(long)"] = (w => w.WriteLine(-4_200_000_000L), w => TextWriterPatches.WriteLine(w, -4_200_000_000L)),
        ["Write(ulong)"] = (w => w.Write(4_200_000_000UL), w => TextWriterPatches.Write(w, 4_200_000_000UL)),
        ["WriteLine(ulong)"] = (w => w.WriteLine(4_200_000_000UL), w => TextWriterPatches.WriteLine(w, 4_200_000_000UL)),
        ["Write(float)"] = (w => w.Write(1.5f), w => TextWriterPatches.Write(w, 1.5f)),
        ["WriteLine(float)"] = (w => w.WriteLine(1.5f), w => TextWriterPatches.WriteLine(w, 1.5f)),
        ["Write(double)"] = (w => w.Write(-2.25), w => TextWriterPatches.Write(w, -2.25)),
        ["WriteLine(double)"] = (w => w.WriteLine(-2.25), w => TextWriterPatches.WriteLine(w, -2.25)),
        ["Write(decimal)"] = (w => w.Write(3.125m), w => TextWriterPatches.Write(w, 3.125m)),
        ["WriteLine(decimal)"] = (w => w.WriteLine(3.125m), w => TextWriterPatches.WriteLine(w, 3.125m)),
        ["Write(StringBuilder)"] = (w => w.Write(new StringBuilder("built")), w => TextWriterPatches.Write(w, new StringBuilder("built"))),
        ["WriteLine(StringBuilder)"] = (w => w.WriteLine(new StringBuilder("built")), w => TextWriterPatches.WriteLine(w, new StringBuilder("built"))),
        ["Write(string, object)"] = (w => w.Write("<{0}>", 1), w => TextWriterPatches.Write(w, "<{0}>", 1)),
        ["WriteLine(string, object)"] = (w => w.WriteLine("<{0}>", 1), w => TextWriterPatches.WriteLine(w, "<{0}>", 1)),
        ["Write(string, object, object)"] = (w => w.Write("{0}{1}", 1, "b"), w => TextWriterPatches.Write(w, "{0}{1}", 1, "b")),
        ["WriteLine(string, object, object)"] = (w => w.WriteLine("{0}{1}", 1, "b"), w => TextWriterPatches.WriteLine(w, "{0}{1}", 1, "b")),
        ["Write(string, object, object, object)"] = (w => w.Write("{0}{1}{2}", 1, "b", 'c'), w => TextWriterPatches.Write(w, "{0}{1}{2}", 1, "b", 'c')),
        ["WriteLine(string, object, object, object)"] = (w => w.WriteLine("{0}{1}{2}", 1, "b", 'c'), w => TextWriterPatches.WriteLine(w, "{0}{1}{2}", 1, "b", 'c')),
        ["Write(string, object[])"] = (w => w.Write("{0}{1}{2}{3}", s_fourArguments), w => TextWriterPatches.Write(w, "{0}{1}{2}{3}", s_fourArguments)),
        ["WriteLine(string, object[])"] = (w => w.WriteLine("{0}{1}{2}{3}", s_fourArguments), w => TextWriterPatches.WriteLine(w, "{0}{1}{2}{3}", s_fourArguments)),
        ["Write(string, ReadOnlySpan<object>)"] = (w => w.Write("{0}{1}{2}{3}", "a", 1, null, 'c'), w => TextWriterPatches.Write(w, "{0}{1}{2}{3}", ["a", 1, null, 'c'])),
        ["WriteLine(string, ReadOnlySpan<object>)"] = (w => w.WriteLine("{0}{1}{2}{3}", "a", 1, null, 'c'), w => TextWriterPatches.WriteLine(w, "{0}{1}{2}{3}", ["a", 1, null, 'c'])),
    };

    /// <summary>Calls the BCL rejects, each with the original and the replacement.</summary>
    private static readonly Dictionary<string, (Action<TextWriter> Original, Action<TextWriter> Replacement)> s_misuses = new()
    {
        ["null buffer"] = (w => w.Write(null!, 0, 1), w => TextWriterPatches.Write(w, null!, 0, 1)),
        ["negative index"] = (w => w.WriteLine(new char[2], -1, 1), w => TextWriterPatches.WriteLine(w, new char[2], -1, 1)),
        ["count past the end"] = (w => w.Write(new char[2], 1, 2), w => TextWriterPatches.Write(w, new char[2], 1, 2)),
        ["null format"] = (w => w.Write(null!, 1), w => TextWriterPatches.Write(w, null!, (object)1)),
        ["missing argument"] = (w => w.WriteLine("{1}", 1), w => TextWriterPatches.WriteLine(w, "{1}", (object)1)),
        ["bad format, two arguments"] = (w => w.Write("{", 1, 2), w => TextWriterPatches.Write(w, "{", 1, 2)),
        ["bad format, three arguments"] = (w => w.WriteLine("{3}", 1, 2, 3), w => TextWriterPatches.WriteLine(w, "{3}", 1, 2, 3)),
        ["null argument array"] = (w => w.Write("{0}", (object?[])null!), w => TextWriterPatches.Write(w, "{0}", (object?[])null!)),
        ["missing span argument"] = (w => w.WriteLine("{4}", 1, 2, 3, 4), w => TextWriterPatches.WriteLine(w, "{4}", [1, 2, 3, 4])),
    };

    public static TheoryData<string> Overloads => [.. s_writes.Keys];

    public static TheoryData<string, bool> OverloadsInAndOutOfGreenlets => PipeKit.InAndOutOfGreenlets(s_writes.Keys);

    [Theory]
    [MemberData(nameof(OverloadsInAndOutOfGreenlets))]
    public void EachOverloadWritesWhatTheOriginalWrites(string overload, bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        var (original, replacement) = s_writes[overload];
        var expected = ThroughPipe(original);
        Assert.NotEmpty(expected);
        Assert.Equal(expected, ThroughPipe(replacement));
        Assert.Equal(ThroughStringWriter(original), ThroughStringWriter(replacement));
        Parity.SameException(() => original(null!), () => replacement(null!));
        SameError(() => original(ClosedPipeWriter()), () => replacement(ClosedPipeWriter()));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MisusesThrowWhatTheOriginalThrows(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var (original, replacement) in s_misuses.Values)
        {
            // In a greenlet the pipe writer's calls are offloaded, and their exceptions must come back as themselves.
            using var pipe = new PipeKit.PipePair();
            using var writer = pipe.Writer();
            Parity.SameException(() => original(writer), () => replacement(writer));
            Parity.SameException(() => original(new StringWriter()), () => replacement(new StringWriter()));
        }
    });

    [Theory]
    [MemberData(nameof(Overloads))]
    public void ManyGreenletsWritingToFullPipesFinishTogether(string overload) => BlockedAtOnce.Check(PipeKit.AfterWarmUp(
        () => ThroughPipe(s_writes[overload].Replacement),
        () =>
        {
            var pipe = new PipeKit.PipePair();
            pipe.Fill();
            var writer = pipe.Writer();
            return new BlockedAtOnce.Subject(() => s_writes[overload].Replacement(writer), () => pipe.Drain(), pipe.ClosingReadEndFirst());
        }), count: 8, reusable: false);

    [Fact]
    public void ManyGreenletsFlushingToFullPipesFinishTogether() => BlockedAtOnce.Check(PipeKit.AfterWarmUp(
        () => ThroughPipe(TextWriterPatches.Flush),
        () =>
        {
            var pipe = new PipeKit.PipePair();
            pipe.Fill();
            var writer = pipe.Writer();
            writer.AutoFlush = false;
            writer.Write("buffered");
            return new BlockedAtOnce.Subject(() => TextWriterPatches.Flush(writer), () => pipe.Drain(), pipe.ClosingReadEndFirst());
        }), count: 8, reusable: false);

    /// <summary>What <paramref name="write"/> sends through an auto-flushing writer over a pipe.</summary>
    private static byte[] ThroughPipe(Action<TextWriter> write)
    {
        using var pipe = new PipeKit.PipePair();
        using (var writer = pipe.Writer())
        {
            write(writer);
        }

        pipe.Out.Dispose();
        return pipe.ReadToEnd();
    }

    private static string ThroughStringWriter(Action<TextWriter> write)
    {
        var writer = new StringWriter();
        write(writer);
        return writer.ToString();
    }

    private static StreamWriter ClosedPipeWriter()
    {
        var pipe = new PipeKit.PipePair();
        var writer = new StreamWriter(pipe.Out, Encoding.UTF8) { AutoFlush = true };
        writer.Dispose();
        pipe.Dispose();
        return writer;
    }

    /// <summary>Both succeed, or both throw the same exception type.</summary>
    private static void SameError(Action original, Action replacement) =>
        Assert.Equal(Record.Exception(original)?.GetType(), Record.Exception(replacement)?.GetType());
}
