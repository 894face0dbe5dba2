using Gevent.Patches;

namespace Gevent.Tests.Patches.Pipes;

/// <summary>Every <see cref="TextReaderPatches"/> overload: the original's results and exceptions, and cooperation on an empty pipe.</summary>
public class TextReaderOverloadTests
{
    /// <summary>Each overload's original call and its replacement, described as text (the result, and what was read into a buffer).</summary>
    private static readonly Dictionary<string, (Func<TextReader, string?> Original, Func<TextReader, string?> Replacement)> s_reads = new()
    {
        ["ReadLine()"] = (r => r.ReadLine(), TextReaderPatches.ReadLine),
        ["ReadToEnd()"] = (r => r.ReadToEnd(), TextReaderPatches.ReadToEnd),
        ["Read()"] = (r => $"{r.Read()}", r => $"{TextReaderPatches.Read(r)}"),
        ["Peek()"] = (r => $"{r.Peek()}", r => $"{TextReaderPatches.Peek(r)}"),
        ["Read(char[], int, int)"] = (r => IntoArray(b => r.Read(b, 1, 3)), r => IntoArray(b => TextReaderPatches.Read(r, b, 1, 3))),
        ["ReadBlock(char[], int, int)"] = (r => IntoArray(b => r.ReadBlock(b, 1, 3)), r => IntoArray(b => TextReaderPatches.ReadBlock(r, b, 1, 3))),
        ["Read(Span<char>)"] = (r => IntoArray(b => r.Read(b.AsSpan(1))), r => IntoArray(b => TextReaderPatches.Read(r, b.AsSpan(1)))),
        ["ReadBlock(Span<char>)"] = (r => IntoArray(b => r.ReadBlock(b.AsSpan(1))), r => IntoArray(b => TextReaderPatches.ReadBlock(r, b.AsSpan(1)))),
    };

    /// <summary>Calls the BCL rejects, each with the original and the replacement.</summary>
    private static readonly (Action<TextReader> Original, Action<TextReader> Replacement)[] s_misuses =
    [
        (r => r.Read(null!, 0, 1), r => TextReaderPatches.Read(r, null!, 0, 1)),
        (r => r.Read(new char[2], -1, 1), r => TextReaderPatches.Read(r, new char[2], -1, 1)),
        (r => r.ReadBlock(new char[2], 1, 2), r => TextReaderPatches.ReadBlock(r, new char[2], 1, 2)),
        (r => r.ReadBlock(null!, 0, 0), r => TextReaderPatches.ReadBlock(r, null!, 0, 0)),
    ];

    public static TheoryData<string> Overloads => [.. s_reads.Keys];

    public static TheoryData<string, bool> OverloadsInAndOutOfGreenlets => PipeKit.InAndOutOfGreenlets(s_reads.Keys);

    [Theory]
    [MemberData(nameof(OverloadsInAndOutOfGreenlets))]
    public void EachOverloadReadsWhatTheOriginalReads(string overload, bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        var (original, replacement) = s_reads[overload];
        foreach (var text in new[] { "ab\ncd\n", "" })
        {
            // What the call returns and what it leaves for the next reader, from a pipe (offloaded in a greenlet) and a string.
            var expected = FromPipe(text, original);
            Assert.Equal(expected, FromPipe(text, replacement));
            Assert.Equal(FromString(text, original), FromString(text, replacement));
        }

        Parity.SameException(() => original(null!), () => replacement(null!));
        Parity.SameException(() => original(ClosedPipeReader()), () => replacement(ClosedPipeReader()));
    });

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void MisusesThrowWhatTheOriginalThrows(bool inGreenlet) => Parity.Run(inGreenlet, () =>
    {
        foreach (var (original, replacement) in s_misuses)
        {
            using var pipe = new PipeKit.PipePair();
            using var reader = pipe.Reader();
            Parity.SameException(() => original(reader), () => replacement(reader));
            Parity.SameException(() => original(new StringReader("x")), () => replacement(new StringReader("x")));
        }
    });

    [Theory]
    [MemberData(nameof(Overloads))]
    public void ManyGreenletsReadingEmptyPipesFinishTogether(string overload) => BlockedAtOnce.Check(PipeKit.AfterWarmUp(
        () => FromPipe("abcd\n", s_reads[overload].Replacement),
        () =>
        {
            var pipe = new PipeKit.PipePair();
            var reader = pipe.Reader();
            return new BlockedAtOnce.Subject(
                () => Assert.Equal(s_reads[overload].Original(new StringReader("abcd\n")), s_reads[overload].Replacement(reader)),
                () =>
                {
                    pipe.Out.Write("abcd\n"u8);
                    pipe.Out.Dispose();
                },
                pipe);
        }), count: 8, reusable: false);

    /// <summary>The result of <paramref name="read"/> on a reader over a pipe holding <paramref name="text"/>, then the rest.</summary>
    private static string FromPipe(string text, Func<TextReader, string?> read)
    {
        using var pipe = new PipeKit.PipePair();
        pipe.Out.Write(System.Text.Encoding.UTF8.GetBytes(text));
        pipe.Out.Dispose();
        using var reader = pipe.Reader();
        return $"{read(reader)}|{reader.ReadToEnd()}";
    }

    private static string FromString(string text, Func<TextReader, string?> read)
    {
        var reader = new StringReader(text);
        return $"{read(reader)}|{reader.ReadToEnd()}";
    }

    private static string IntoArray(Func<char[], int> read)
    {
        var buffer = new char[5];
        var count = read(buffer);
        return $"{count}:{new string(buffer).Replace('\0', '_')}";
    }

    private static StreamReader ClosedPipeReader()
    {
        var pipe = new PipeKit.PipePair();
        var reader = pipe.Reader();
        reader.Dispose();
        pipe.Dispose();
        return reader;
    }
}
