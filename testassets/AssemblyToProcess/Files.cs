namespace AssemblyToProcess;

/// <summary>Opening files by path and writing text (the runtime's catalog offloads them on FIFOs and pipes).</summary>
public static class Files
{
    public static string? FirstLine(string path)
    {
        using var reader = new StreamReader(path);
        return reader.ReadLine();
    }

    public static long Length(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read);
        return stream.Length;
    }

    public static string Opened(string path)
    {
        using var stream = File.OpenRead(path);
        return stream.GetType().Name;
    }

    public static string Formatted(TextWriter writer)
    {
        writer.Write('<');
        writer.Write("{0}{1}{2}{3}", 1, 2, 3, 4);
        writer.WriteLine("ab".AsSpan());
        return writer.ToString()!;
    }

    public static long Derived(string path)
    {
        using var stream = new DerivedFileStream(path);
        return stream.Length;
    }

    /// <summary>Its chained base constructor call cannot become a factory: not rewritten.</summary>
    public sealed class DerivedFileStream(string path) : FileStream(path, FileMode.Open, FileAccess.Read);
}
