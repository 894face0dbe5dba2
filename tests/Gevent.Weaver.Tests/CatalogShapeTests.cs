using Gevent.TestCatalog;

namespace Gevent.Weaver.Tests;

/// <summary>
/// Every patch shape: the call reaches the replacement and behaves as the original. Virtual, interface and
/// instance shapes go through the runtime's own catalog (its stream, socket and wait patches), the others through the
/// test catalog, whose replacements count their calls.
/// </summary>
public class CatalogShapeTests
{
    [Fact]
    public void VirtualInstanceConstructorAndGenericGetterSitesReachTheirReplacements()
    {
        var data = new byte[10];
        foreach (var site in new[] { "ReadAll", "Generic", "MethodGroup" })
        {
            RewrittenTo($"Streams.{site}", "StreamPatches::Read");
        }

        RewrittenTo("Streams.UsingDispose", "::Dispose");
        Assert.Equal(10, Woven.Call("Streams", "ReadAll", new MemoryStream(data)));
        Assert.Equal(10, Woven.Call("Streams", "Generic", new MemoryStream(data)));
        Assert.Equal(10, Woven.Call("Streams", "MethodGroup", new MemoryStream(data)));
        Assert.Equal(10, Woven.Call("Streams", "UsingDispose", data));
        Assert.Equal(nameof(CooperativeMemoryStream), Reaches("NewMemoryStream", () => Woven.Call("Streams", "ConstructedType", data)));
        RewrittenTo("Receivers.WaitFor", "::Wait");
        Woven.Call("Receivers", "WaitFor", new ManualResetEventSlim(true));
        Assert.Equal("published", Reaches("VolatileRead", () => Woven.Call("Receivers", "ReadPublished")));
        var receivers = Activator.CreateInstance(Woven.Assembly.GetType("AssemblyToProcess.Receivers")!)!;
        Assert.Equal(42, Reaches("Value", () => receivers.GetType().GetProperty("LazyAnswer")!.GetValue(receivers)));
    }

    [Fact]
    public void ACallNamingADerivedTypeMatchesOverridesButNotHidingMembers()
    {
        RewrittenTo("Streams.BaseRead", "StreamPatches::Read");
        Assert.DoesNotContain(Rewritten(), t => t.Contains("Streams.HiddenRead"));
        Assert.Equal(-1, Woven.Call("Streams", "HiddenRead"));
    }

    [Fact]
    public void PathOpensAndTextWriterOverloadsReachTheRuntimesReplacements()
    {
        RewrittenTo("Files.FirstLine", "TextFileOpenPatches::NewStreamReader");
        RewrittenTo("Files.FirstLine", "TextReaderPatches::ReadLine");
        RewrittenTo("Files.Length", "FileOpenPatches::NewFileStream");
        RewrittenTo("Files.Opened", "FileOpenPatches::OpenRead");
        RewrittenTo("Files.Formatted", "TextWriter::Write(System.Char) -> Gevent.Patches.TextWriterPatches::Write");
        RewrittenTo("Files.Formatted", "TextWriter::Write(System.String,System.ReadOnlySpan`1<System.Object>) -> Gevent.Patches.TextWriterPatches::Write");
        RewrittenTo("Files.Formatted", "TextWriter::WriteLine(System.ReadOnlySpan`1<System.Char>) -> Gevent.Patches.TextWriterPatches::WriteLine");
        Assert.Contains(Woven.Result.Warnings, w => w.Text.Contains("DerivedFileStream") && w.Text.Contains("derived constructor"));
        var path = Path.GetTempFileName();
        try
        {
            File.WriteAllText(path, "first\nsecond");
            Assert.Equal("first", Woven.Call("Files", "FirstLine", path));
            Assert.Equal(12L, Woven.Call("Files", "Length", path));
            Assert.Equal(nameof(FileStream), Woven.Call("Files", "Opened", path));
            Assert.Equal(12L, Woven.Call("Files", "Derived", path));
            Assert.Equal("<1234ab" + Environment.NewLine, Woven.Call("Files", "Formatted", new StringWriter()));
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Fact]
    public void SkippedSitesStillRunTheOriginal()
    {
        Assert.Equal(10, Woven.Call("Streams", "BaseRead", new byte[10]));
        Assert.Equal(1, Woven.Call("Receivers", "StructUsing"));
    }

    private static List<string> Rewritten() => Woven.Result.Messages.Select(m => m.Text).Where(t => t.Contains(" -> ")).ToList();

    [Fact]
    public void AStreamReaderSubclassChainingToAConstructorThatNeverWaitsIsLeftAsItIsWithoutAWarning()
    {
        RewrittenTo("Readers.TypeOver", "StreamReaderPatches::NewStreamReader");
        Assert.DoesNotContain(Woven.Result.Warnings, w => w.Text.Contains("LineReader", StringComparison.Ordinal));
        Assert.Equal(nameof(StreamReader), Woven.Call("Readers", "TypeOver", new MemoryStream()));
        Assert.Equal("LineReader", Woven.Call("Readers", "SubclassOver", new MemoryStream()));
    }

    private static void RewrittenTo(string site, string replacement) =>
        Assert.Contains(Rewritten(), t => t.Contains(site) && t.Contains(replacement));

    private static object? Reaches(string replacement, Func<object?> call)
    {
        var before = PatchCalls.Count(replacement);
        var result = call();
        Assert.True(PatchCalls.Count(replacement) > before, $"{replacement} was not called");
        return result;
    }
}
