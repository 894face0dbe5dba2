using System.Reflection.PortableExecutable;
using System.Security.Cryptography;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>
/// Makes the bad inputs this machine cannot build: a managed DLL with its CLI header flags or
/// directory changed (mixed-mode, ReadyToRun, native look-alikes), truncated files, foreign markers,
/// strong names and invalid IL.
/// </summary>
internal static class Craft
{
    private const int CorFlagsOffset = 16;
    private const int CliHeaderDirectoryIndex = 14;

    /// <summary>Rewrites the CLI header flags of <paramref name="path"/> in place.</summary>
    public static void ChangeCorFlags(string path, Func<CorFlags, CorFlags> change)
    {
        int offset;
        CorFlags flags;
        using (var reader = new PEReader(File.OpenRead(path)))
        {
            offset = reader.PEHeaders.CorHeaderStartOffset + CorFlagsOffset;
            flags = reader.PEHeaders.CorHeader!.Flags;
        }

        Poke(path, offset, BitConverter.GetBytes((int)change(flags)));
    }

    /// <summary>Clears the CLI header's data directory: to a loader, a native DLL.</summary>
    public static void RemoveCliHeader(string path)
    {
        int offset;
        using (var reader = new PEReader(File.OpenRead(path)))
        {
            var headers = reader.PEHeaders;
            var directories = headers.PEHeader!.Magic == PEMagic.PE32Plus ? 112 : 96;
            offset = headers.PEHeaderStartOffset + directories + (CliHeaderDirectoryIndex * 8);
        }

        Poke(path, offset, new byte[8]);
    }

    /// <summary>Overwrites the metadata root's signature (<c>BSJB</c>): the PE headers stay valid, the metadata does not.</summary>
    public static void CorruptMetadata(string path)
    {
        var bytes = File.ReadAllBytes(path);
        Poke(path, bytes.AsSpan().IndexOf("BSJB"u8), new byte[4]);
    }

    /// <summary>Cuts <paramref name="path"/> to half its length.</summary>
    public static void Truncate(string path)
    {
        using var stream = File.OpenWrite(path);
        stream.SetLength(stream.Length / 2);
    }

    /// <summary>Gives <paramref name="path"/> the marker another engine version would have written.</summary>
    public static void MarkAsPatchedBy(string path, string marker) =>
        Rewrite(path, module =>
        {
            var attribute = new CustomAttribute(module.ImportReference(typeof(System.Reflection.AssemblyMetadataAttribute).GetConstructor([typeof(string), typeof(string)])));
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, "Gevent.Patched"));
            attribute.ConstructorArguments.Add(new CustomAttributeArgument(module.TypeSystem.String, marker));
            module.Assembly.CustomAttributes.Add(attribute);
        });

    /// <summary>Makes <paramref name="path"/> strong-named with <paramref name="key"/> (an .snk blob).</summary>
    public static void StrongName(string path, byte[] key) => Rewrite(path, _ => { }, key);

    /// <summary>Replaces the body of the void method <paramref name="type"/>.<paramref name="method"/> with IL that leaves a value on the stack at ret.</summary>
    public static void BreakIl(string path, string type, string method) =>
        Rewrite(path, module =>
        {
            var body = module.GetType(type).Methods.Single(m => m.Name == method).Body;
            body.Instructions.Clear();
            body.ExceptionHandlers.Clear();
            body.Instructions.Add(Instruction.Create(OpCodes.Ldc_I4_0));
            body.Instructions.Add(Instruction.Create(OpCodes.Ret));
        });

    /// <summary>A new RSA key pair in .snk form.</summary>
    public static byte[] NewKey()
    {
        using var rsa = new RSACryptoServiceProvider(1024);
        return rsa.ExportCspBlob(true);
    }

    /// <summary>The strong-name signature bytes of <paramref name="path"/> (all zero when space was reserved but nothing signed).</summary>
    public static byte[] StrongNameSignature(string path)
    {
        using var reader = new PEReader(File.OpenRead(path));
        var directory = reader.PEHeaders.CorHeader!.StrongNameSignatureDirectory;
        return reader.GetSectionData(directory.RelativeVirtualAddress).GetContent(0, directory.Size).ToArray();
    }

    /// <summary>The marker <paramref name="path"/> carries, or null.</summary>
    public static string? Marker(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        return module.Assembly.CustomAttributes
            .Where(a => a.AttributeType.Name == "AssemblyMetadataAttribute" && (string)a.ConstructorArguments[0].Value == "Gevent.Patched")
            .Select(a => (string)a.ConstructorArguments[1].Value)
            .SingleOrDefault();
    }

    private static void Rewrite(string path, Action<ModuleDefinition> change, byte[]? key = null)
    {
        var module = ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(path)));
        change(module);
        module.Write(path, new WriterParameters { StrongNameKeyBlob = key });
    }

    private static void Poke(string path, int offset, byte[] bytes)
    {
        using var stream = File.OpenWrite(path);
        stream.Position = offset;
        stream.Write(bytes);
    }
}
