namespace AssemblyToProcess;

/// <summary>Text readers over streams (the runtime's catalog makes a resumable one over a network stream).</summary>
public static class Readers
{
    /// <summary>The type of the reader made over <paramref name="stream"/>.</summary>
    public static string TypeOver(Stream stream) => new StreamReader(stream).GetType().Name;

    /// <summary>The type of the subclass made over <paramref name="stream"/>.</summary>
    public static string SubclassOver(Stream stream) => new LineReader(stream).GetType().Name;

    /// <summary>Its chained base constructor never waits: left as it is, without a warning.</summary>
    public sealed class LineReader(Stream stream) : StreamReader(stream);
}
