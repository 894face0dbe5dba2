using System.Text;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Streams;

/// <summary>
/// <see cref="GreenStreamReader"/> against the BCL's <see cref="StreamReader"/> on the same bytes arriving in the same
/// parts: every read gives the same result, whatever the encoding, byte order mark, line endings, buffer size and
/// the way the bytes are cut (a character split across two reads included).
/// </summary>
public class GreenStreamReaderDecodingTests
{
    private static readonly Encoding[] s_encodings =
    [
        Encoding.UTF8, new UTF8Encoding(encoderShouldEmitUTF8Identifier: false), Encoding.Unicode, Encoding.BigEndianUnicode,
        Encoding.UTF32, new UTF32Encoding(bigEndian: true, byteOrderMark: true), Encoding.Latin1,
    ];

    private static readonly string[] s_pieces = ["a", "line", " ", "é", "€", "𝄞", "日本", "\n", "\r", "\r\n", "\n\r", "\r\r", "x"];

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryReadGivesTheResultOfTheBclReaderOnTheSameBytes(int seed)
    {
        var random = new Random(seed);
        var (bytes, encoding, detect) = Bytes(random);
        var bufferSize = random.Next(4) switch { 0 => 1, 1 => 128, 2 => 300, _ => ReaderBuffers.DefaultSize };
        var parts = Parts(random, bytes.Length);
        var script = Enumerable.Range(0, 40).Select(_ => random.Next(8)).ToArray();
        var readSizes = Enumerable.Range(0, 40).Select(_ => random.Next(1, 300)).ToArray();

        var expected = Run(new StreamReader(new PartsStream(bytes, parts), encoding, detect, bufferSize), script, readSizes);
        var actual = Run(new GreenStreamReader(new PartsStream(bytes, parts), encoding, detect, bufferSize, leaveOpen: false), script, readSizes);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [MemberData(nameof(Seeds))]
    public void EveryAsyncReadGivesTheResultOfTheBclReaderOnTheSameBytes(int seed)
    {
        var random = new Random(seed);
        var (bytes, encoding, detect) = Bytes(random);
        var parts = Parts(random, bytes.Length);
        var script = Enumerable.Range(0, 30).Select(_ => random.Next(4)).ToArray();
        var readSizes = Enumerable.Range(0, 30).Select(_ => random.Next(1, 300)).ToArray();

        var expected = RunAsync(new StreamReader(new PartsStream(bytes, parts), encoding, detect, 128), script, readSizes);
        var actual = RunAsync(new GreenStreamReader(new PartsStream(bytes, parts), encoding, detect, 128, leaveOpen: false), script, readSizes);

        Assert.Equal(expected, actual);
    }

    [Theory]
    [InlineData(new byte[] { 0xEF, 0xBB, 0xBF, (byte)'h', (byte)'i', (byte)'\n' }, "utf-8")]
    [InlineData(new byte[] { 0xFF, 0xFE, (byte)'h', 0, (byte)'i', 0, (byte)'\n', 0 }, "utf-16")]
    [InlineData(new byte[] { 0xFE, 0xFF, 0, (byte)'h', 0, (byte)'i', 0, (byte)'\n' }, "utf-16BE")]
    [InlineData(new byte[] { 0xFF, 0xFE, 0, 0, (byte)'h', 0, 0, 0, (byte)'i', 0, 0, 0, (byte)'\n', 0, 0, 0 }, "utf-32")]
    [InlineData(new byte[] { 0, 0, 0xFE, 0xFF, 0, 0, 0, (byte)'h', 0, 0, 0, (byte)'i', 0, 0, 0, (byte)'\n' }, "utf-32BE")]
    public void AByteOrderMarkSwitchesTheEncodingAndOneArrivingAByteAtATimeIsReadAsTheBclReaderReadsIt(byte[] bytes, string encoding)
    {
        var reader = new GreenStreamReader(new PartsStream(bytes, [bytes.Length]), Encoding.Latin1, true, 128, false);

        Assert.Equal("hi", reader.ReadLine());
        Assert.Equal(encoding, reader.CurrentEncoding.WebName);
        Assert.Null(reader.ReadLine());
        foreach (var parts in new int[][] { [.. Enumerable.Repeat(1, bytes.Length)], [2, bytes.Length - 2], [3, bytes.Length - 3] })
        {
            var apart = new GreenStreamReader(new PartsStream(bytes, parts), Encoding.Latin1, true, 128, false);
            var bclApart = new StreamReader(new PartsStream(bytes, parts), Encoding.Latin1, true, 128);
            Assert.Equal(bclApart.ReadToEnd(), apart.ReadToEnd());
            Assert.Equal(bclApart.CurrentEncoding, apart.CurrentEncoding);
        }
    }

    [Fact]
    public void ACharacterSplitAcrossReadsIsDecodedWholeAndEveryLineEndingEndsALine()
    {
        var bytes = Encoding.UTF8.GetBytes("𝄞€\r\nb\rc\nlast");
        var reader = new GreenStreamReader(new PartsStream(bytes, [1, 2, 1, 3, 1, 1, 1, 1, 1, 1, 1, 3]), Encoding.UTF8, true, 128, false);

        Assert.Equal(["𝄞€", "b", "c", "last", null], Enumerable.Range(0, 5).Select(_ => reader.ReadLine()));
    }

    [Fact]
    public void EndOfStreamIsTheSameBufferWhetherAskedThroughThePatchOrTheBaseProperty()
    {
        var bytes = Encoding.UTF8.GetBytes("one\ntwo\n");
        var reader = new GreenStreamReader(new PartsStream(bytes, [4, 4]), Encoding.UTF8, true, 128, false);

        // The base's property, as un-woven code calls it, reads through the probe: nothing is lost to the base.
        Assert.False(reader.EndOfStream);
        Assert.Equal("one", reader.ReadLine());
        Assert.False(StreamReaderPatches.EndOfStream(reader));
        Assert.False(reader.EndOfStream);
        Assert.Equal("two", reader.ReadLine());
        Assert.True(reader.EndOfStream);
        Assert.True(StreamReaderPatches.EndOfStream(reader));
        Assert.Null(reader.ReadLine());
    }

    [Fact]
    public void DiscardBufferedDataDropsTheGreenReadersBuffer()
    {
        var reader = new GreenStreamReader(new PartsStream(Encoding.UTF8.GetBytes("ab\ncd\nef\n"), [6, 3]), Encoding.UTF8, true, 128, false);

        Assert.Equal('a', reader.Read());
        StreamReaderPatches.DiscardBufferedData(reader);
        Assert.Equal("ef", reader.ReadLine());
    }

    [Fact]
    public void ClosingClosesTheStreamUnlessLeftOpenAndThenReadsThrowAsTheBclReadersDo()
    {
        var closed = new PartsStream([], []);
        var left = new PartsStream([], []);
        var reader = new GreenStreamReader(closed, Encoding.UTF8, true, 128, leaveOpen: false);
        var leftOpen = new GreenStreamReader(left, Encoding.UTF8, true, 128, leaveOpen: true);
        var bcl = new StreamReader(new MemoryStream());
        Assert.Same(closed, reader.BaseStream);
        reader.Dispose();
        leftOpen.Dispose();
        bcl.Dispose();

        Assert.False(closed.CanRead);
        Assert.True(left.CanRead);
        Parity.SameException(() => bcl.ReadLine(), () => reader.ReadLine());
        Parity.SameException(() => bcl.Read(), () => reader.Read());
        Parity.SameException(() => bcl.Peek(), () => reader.Peek());
        Parity.SameException(() => bcl.ReadToEnd(), () => reader.ReadToEnd());
        Parity.SameException(() => _ = bcl.EndOfStream, () => _ = reader.EndOfStream);
        Parity.SameException(() => bcl.Read(new char[4], 0, 4), () => reader.Read(new char[4], 0, 4));
    }

    [Fact]
    public void BadArgumentsAreRejectedAsTheBclReaderRejectsThem()
    {
        var bcl = new StreamReader(new MemoryStream());
        var reader = new GreenStreamReader(new PartsStream([], []), Encoding.UTF8, true, 128, false);

        Parity.SameException(() => bcl.Read(null!, 0, 1), () => reader.Read(null!, 0, 1));
        Parity.SameException(() => bcl.Read(new char[2], -1, 1), () => reader.Read(new char[2], -1, 1));
        Parity.SameException(() => bcl.Read(new char[2], 0, -1), () => reader.Read(new char[2], 0, -1));
        Parity.SameException(() => bcl.Read(new char[2], 1, 2), () => reader.Read(new char[2], 1, 2));
    }

    public static TheoryData<int> Seeds()
    {
        var seeds = new TheoryData<int>();
        foreach (var seed in Enumerable.Range(1, 300))
        {
            seeds.Add(seed);
        }

        return seeds;
    }

    /// <summary>Runs <paramref name="script"/>'s reads and describes every result; ends with what is left.</summary>
    private static List<string> Run(StreamReader reader, int[] script, int[] readSizes)
    {
        var results = new List<string>();
        for (var i = 0; i < script.Length; i++)
        {
            results.Add(script[i] switch
            {
                0 or 1 or 2 => "line " + (reader.ReadLine() ?? "<null>"),
                3 => "char " + reader.Read(),
                4 => "peek " + reader.Peek(),
                5 => Chunk(reader, readSizes[i]),
                6 => "end " + reader.EndOfStream,
                _ => "end (patch) " + StreamReaderPatches.EndOfStream(reader),
            });
        }

        results.Add("rest " + reader.ReadToEnd());
        results.Add("encoding " + reader.CurrentEncoding.WebName);
        return results;
    }

    /// <summary>
    /// <see cref="Run"/> with the async reads (awaited here: the stream completes them at once). Not <c>ReadAsync</c>
    /// alone: the BCL's async read may stop at other points than its sync one, and the green reader's stops where its
    /// sync read does (what it reads is the same).
    /// </summary>
    private static List<string> RunAsync(StreamReader reader, int[] script, int[] readSizes)
    {
        var results = new List<string>();
        for (var i = 0; i < script.Length; i++)
        {
            var buffer = new char[readSizes[i] + 2];
            results.Add(script[i] switch
            {
                0 or 1 => "line " + (reader.ReadLineAsync().GetAwaiter().GetResult() ?? "<null>"),
                2 => "block " + reader.ReadBlockAsync(buffer, 1, readSizes[i]).GetAwaiter().GetResult() + " " + new string(buffer),
                _ => "block " + reader.ReadBlockAsync(buffer.AsMemory(1, readSizes[i])).AsTask().GetAwaiter().GetResult() + " " + new string(buffer),
            });
        }

        results.Add("rest " + reader.ReadToEndAsync().GetAwaiter().GetResult());
        return results;
    }

    private static string Chunk(StreamReader reader, int size)
    {
        var buffer = new char[size + 2];
        var read = reader.Read(buffer, 1, size);
        return $"chunk {read} {new string(buffer, 1, read)}";
    }

    /// <summary>Random text in a random encoding, sometimes after its own or another encoding's byte order mark.</summary>
    private static (byte[] Bytes, Encoding Encoding, bool Detect) Bytes(Random random)
    {
        var text = string.Concat(Enumerable.Range(0, random.Next(0, 400)).Select(_ => s_pieces[random.Next(s_pieces.Length)]));
        var written = s_encodings[random.Next(s_encodings.Length)];
        var told = random.Next(3) == 0 ? s_encodings[random.Next(s_encodings.Length)] : written;
        var mark = random.Next(2) == 0 ? written.GetPreamble() : [];
        return ([.. mark, .. written.GetBytes(text)], told, random.Next(2) == 0);
    }

    /// <summary>Cuts <paramref name="length"/> bytes into the parts reads will return: often one byte, sometimes many.</summary>
    private static int[] Parts(Random random, int length)
    {
        var parts = new List<int>();
        for (var left = length; left > 0;)
        {
            var part = Math.Min(left, random.Next(3) switch { 0 => 1, 1 => random.Next(1, 8), _ => random.Next(1, 2_000) });
            parts.Add(part);
            left -= part;
        }

        return [.. parts];
    }

    /// <summary>A stream whose reads return its bytes in the given parts (a read asking for less returns less).</summary>
    private sealed class PartsStream(byte[] bytes, int[] parts) : Stream
    {
        private int _position;
        private int _part;
        private int _partLeft = parts.Length > 0 ? parts[0] : 0;
        private bool _closed;

        public override bool CanRead => !_closed;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position
        {
            get => throw new NotSupportedException();
            set => throw new NotSupportedException();
        }

        public override int Read(byte[] buffer, int offset, int count)
        {
            ObjectDisposedException.ThrowIf(_closed, this);
            if (_partLeft == 0 || count == 0)
            {
                return 0;
            }

            var read = Math.Min(count, _partLeft);
            bytes.AsSpan(_position, read).CopyTo(buffer.AsSpan(offset));
            (_position, _partLeft) = (_position + read, _partLeft - read);
            if (_partLeft == 0 && ++_part < parts.Length)
            {
                _partLeft = parts[_part];
            }

            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

        protected override void Dispose(bool disposing)
        {
            _closed = true;
            base.Dispose(disposing);
        }
    }
}
