using Gevent.Patches;

namespace Gevent.Tests.Patches.Pipes;

/// <summary><see cref="FifoPaths"/> tells a FIFO from every other path without opening it.</summary>
public class FifoPathsTests
{
    [Fact]
    public void OnlyAFifoOrALinkToOneIsAFifo()
    {
        using var fifo = new PipeKit.Fifo();
        var directory = Path.GetDirectoryName(fifo.Path)!;
        var regular = Path.Combine(directory, "regular");
        File.WriteAllText(regular, "x");
        var link = Path.Combine(directory, "link");
        File.CreateSymbolicLink(link, fifo.Path);
        var dangling = Path.Combine(directory, "dangling");
        File.CreateSymbolicLink(dangling, Path.Combine(directory, "nothing"));

        Assert.True(FifoPaths.IsFifo(fifo.Path));
        Assert.True(FifoPaths.IsFifo(link));
        Assert.False(FifoPaths.IsFifo(regular));
        Assert.False(FifoPaths.IsFifo(directory));
        Assert.False(FifoPaths.IsFifo(dangling));
        Assert.False(FifoPaths.IsFifo(Path.Combine(directory, "missing")));
        Assert.False(FifoPaths.IsFifo("/dev/null"));
        Assert.False(FifoPaths.IsFifo(null));
        Assert.False(FifoPaths.IsFifo(""));
        Assert.False(FifoPaths.IsFifo(fifo.Path + "\0"));
    }
}
