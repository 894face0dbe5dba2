using System;
using System.IO;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>
/// Patches an assembly file: reads it with its symbols (portable or embedded PDB), patches it with
/// <see cref="ModulePatcher"/>, and writes the result beside the target first, then moves it into
/// place, so a failure leaves no half-written target. Strong-name identity (public key and flag) is
/// kept as read. Used by the Fody weaver for <c>PatchReferences</c> and by the CLI.
/// </summary>
public static class AssemblyFilePatcher
{
    /// <summary>Patches <paramref name="input"/> into <paramref name="output"/> (which may be the same path).</summary>
    /// <exception cref="WeavingException">The file is not a .NET assembly or cannot be woven.</exception>
    public static WeaveReport Patch(string input, string output, ModulePatcher patcher, IAssemblyResolver resolver)
    {
        using var module = Read(input, resolver);
        var report = patcher.Patch(module);
        if (report.AlreadyPatched)
        {
            if (Path.GetFullPath(input) != Path.GetFullPath(output))
            {
                File.Copy(input, output, true);
                CopyIfExists(Path.ChangeExtension(input, ".pdb"), Path.ChangeExtension(output, ".pdb"));
            }

            return report;
        }

        Write(module, output);
        return report;
    }

    /// <summary>
    /// Writes <paramref name="module"/> (with its symbols) beside <paramref name="output"/>, then moves it
    /// into place. With <paramref name="strongNameKeyBlob"/> (an .snk file's bytes) the result is re-signed.
    /// </summary>
    public static void Write(ModuleDefinition module, string output, byte[]? strongNameKeyBlob = null)
    {
        var temporary = Path.Combine(Path.GetDirectoryName(Path.GetFullPath(output))!, Path.GetFileNameWithoutExtension(output) + ".gevent-tmp" + Path.GetExtension(output));
        var parameters = new WriterParameters { WriteSymbols = module.HasSymbols, SymbolWriterProvider = module.SymbolReader?.GetWriterProvider(), StrongNameKeyBlob = strongNameKeyBlob };
        module.Write(temporary, parameters);
        Replace(Path.ChangeExtension(temporary, ".pdb"), Path.ChangeExtension(output, ".pdb"));
        Replace(temporary, output);
    }

    /// <summary>Reads <paramref name="path"/> into memory with its symbols when it has any.</summary>
    /// <exception cref="WeavingException">The file is not a .NET assembly, or its symbols file belongs to another build.</exception>
    public static ModuleDefinition Read(string path, IAssemblyResolver resolver)
    {
        // In memory, so the input can be replaced by its patched self.
        var parameters = new ReaderParameters { AssemblyResolver = resolver, InMemory = true, ReadSymbols = true };
        try
        {
            try
            {
                return ModuleDefinition.ReadModule(path, parameters);
            }
            catch (SymbolsNotFoundException)
            {
                parameters.ReadSymbols = false;
                return ModuleDefinition.ReadModule(path, parameters);
            }
        }
        catch (BadImageFormatException e)
        {
            throw new WeavingException($"{path} is not a .NET assembly (a native library, or a corrupt or truncated file).", e);
        }
        catch (SymbolsNotMatchingException e)
        {
            // Patched without them, the assembly would keep a .pdb that describes other code; the user decides which goes.
            var symbols = Path.ChangeExtension(path, ".pdb");
            throw new WeavingException($"{path}: its symbols file {Path.GetFileName(symbols)} does not match it (left from another build): rebuild both, or delete {symbols} to patch without symbols.", e);
        }
    }

    private static void Replace(string source, string destination)
    {
        if (!File.Exists(source))
        {
            return;
        }

        if (File.Exists(destination))
        {
            // rename(2) on Unix: the destination is either the old or the new file, never partial.
            File.Replace(source, destination, null);
        }
        else
        {
            File.Move(source, destination);
        }
    }

    private static void CopyIfExists(string source, string destination)
    {
        if (File.Exists(source))
        {
            File.Copy(source, destination, true);
        }
    }
}
