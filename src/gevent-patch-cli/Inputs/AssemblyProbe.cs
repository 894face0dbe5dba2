using System.Reflection.PortableExecutable;

namespace Gevent.Cli.Inputs;

/// <summary>
/// Looks at a file's PE headers before Cecil reads it, to refuse what cannot be patched with a
/// message that says why and what to do: not a PE file, truncated, native, mixed-mode, ReadyToRun.
/// Opening it also finds a file another process holds locked.
/// </summary>
internal static class AssemblyProbe
{
    /// <summary>Why <paramref name="path"/> cannot be patched, or null when it is an IL-only assembly.</summary>
    public static Refusal? Check(string path)
    {
        try
        {
            using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read);
            using var reader = new PEReader(stream);
            return Check(reader.PEHeaders, stream.Length);
        }
        catch (BadImageFormatException)
        {
            return new Refusal("not a PE file (neither a .NET assembly nor a native library).", false);
        }
        catch (IOException e)
        {
            return new Refusal($"cannot be read: {e.Message} (is another process holding it locked?)", false);
        }
        catch (UnauthorizedAccessException e)
        {
            return new Refusal($"cannot be read: {e.Message}", false);
        }
    }

    private static Refusal? Check(PEHeaders headers, long length)
    {
        var end = headers.SectionHeaders.Select(s => (long)s.PointerToRawData + s.SizeOfRawData).DefaultIfEmpty(0).Max();
        if (end > length)
        {
            return new Refusal($"truncated or corrupt: its headers describe {end} bytes, the file has {length}.", false);
        }

        if (headers.CorHeader is not { } cor)
        {
            return new Refusal("a native library (no .NET header): there is no IL to patch.", true);
        }

        if ((cor.Flags & CorFlags.ILLibrary) != 0 || cor.ManagedNativeHeaderDirectory.Size > 0)
        {
            return new Refusal("a ReadyToRun image: its precompiled native code would keep calling the blocking originals. "
                + "Patch the IL before ReadyToRun compilation: publish without -p:PublishReadyToRun=true and patch that output "
                + "(it then runs JIT-compiled), or weave at build time with Gevent.Fody, which runs before ReadyToRun compilation.", false);
        }

        // After ReadyToRun: crossgen2 clears ILONLY too, and its images deserve the ReadyToRun advice.
        if ((cor.Flags & CorFlags.ILOnly) == 0)
        {
            return new Refusal("mixed-mode (native code beside the IL, e.g. C++/CLI): only IL-only assemblies can be patched.", false);
        }

        return null;
    }
}
