using System.Xml.Linq;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Weaver.Tests;

/// <summary>The Fody-specific part: configuration, the runtime reference, PatchReferences.</summary>
public sealed class ModuleWeaverTests : TempFolderTests
{
    [Fact]
    public void AMissingRuntimeReferenceNamesThePackageToAdd()
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath);
        var weaver = new ModuleWeaver { ModuleDefinition = module, ResolveAssembly = _ => null };
        var error = Assert.Throws<Fody.WeavingException>(weaver.Execute);
        Assert.Contains("add the Gevent.Runtime package", error.Message);
    }

    [Theory]
    [InlineData("<Gevent Include=\"My App\" />", "Include")]
    [InlineData("<Gevent Exclude=\"\" />", "Exclude")]
    [InlineData("<Gevent PatchReferences=\"a/b\" />", "PatchReferences")]
    [InlineData("<Gevent Report=\" \" />", "Report")]
    [InlineData("<Gevent ResumableFrames=\"yes\" />", "ResumableFrames=\"yes\" is not valid; allowed: true, false")]
    [InlineData("<Gevent Patch=\"x\" />", "allowed: Include, Exclude, PatchReferences, Report, ResumableFrames")]
    [InlineData("<Gevent PatchReferences=\"NotAReference\" />", "PatchReferences names 'NotAReference'")]
    public void BadConfigurationIsAnErrorNamingTheAttribute(string config, string expected)
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath);
        var error = Assert.Throws<Fody.WeavingException>(Weaver(module, config, []).Execute);
        Assert.Contains(expected, error.Message);
    }

    [Theory]
    [InlineData("<Gevent />", false)]
    [InlineData("<Gevent ResumableFrames=\"false\" />", false)]
    [InlineData("<Gevent ResumableFrames=\"true\" />", true)]
    public void ResumableFramesIsOffUnlessTheConfigurationTurnsItOn(string config, bool expected)
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath);
        Weaver(module, config, []).Execute();
        var marked = module.GetTypes().SelectMany(t => t.Methods).Count(m => m.CustomAttributes.Any(a => a.AttributeType.FullName == "Gevent.CompilerServices.ResumableAttribute"));
        Assert.Equal(expected, marked > 0);
    }

    [Fact]
    public void TheXcfSchemaListsExactlyTheAttributesTheWeaverAccepts()
    {
        XNamespace xs = "http://www.w3.org/2001/XMLSchema";
        var schema = XDocument.Load(Path.Combine(AppContext.BaseDirectory, "Gevent.Fody.xcf"));
        var names = schema.Root!.Elements(xs + "attribute").Select(a => a.Attribute("name")!.Value).ToList();
        Assert.Equal(WeaverConfig.s_known.Order(), names.Order());
        Assert.All(schema.Root.Elements(xs + "attribute"), a => Assert.False(string.IsNullOrWhiteSpace(a.Value), a.ToString()));
    }

    [Fact]
    public void PatchReferencesSwapsInAPatchedCopyCachedUnderObjAndReusesIt()
    {
        var library = Path.Combine(Folder, "lib", "AssemblyToProcess.dll");
        Directory.CreateDirectory(Path.GetDirectoryName(library)!);
        File.Copy(Woven.OriginalPath, library);
        File.Copy(Path.ChangeExtension(Woven.OriginalPath, ".pdb"), Path.ChangeExtension(library, ".pdb"));
        var cached = Path.Combine(Folder, "obj", "gevent-patched", "AssemblyToProcess.dll");

        // The project being woven is the test catalog; the "third-party" library is AssemblyToProcess.
        var first = PatchReferences(library);
        Assert.Equal([cached, Path.ChangeExtension(cached, ".pdb")], first);
        using (var patched = ModuleDefinition.ReadModule(cached))
        {
            Assert.NotNull(PatchMarker.Read(patched));
        }

        Assert.Equal([library, Path.ChangeExtension(library, ".pdb")], File.ReadAllLines(Path.Combine(Path.GetDirectoryName(cached)!, "patched-references.txt")));

        var patchedAt = File.GetLastWriteTimeUtc(cached);
        Assert.Equal(first, PatchReferences(library));
        Assert.Equal(patchedAt, File.GetLastWriteTimeUtc(cached));
        Assert.Null(ReadMarker(library));
    }

    private List<string> PatchReferences(string library)
    {
        using var module = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "TestCatalog.dll"));
        var copyLocal = new List<string> { library, Path.ChangeExtension(library, ".pdb") };
        Weaver(module, "<Gevent PatchReferences=\"AssemblyToProcess\" />", copyLocal).Execute();
        return copyLocal;
    }

    private ModuleWeaver Weaver(ModuleDefinition module, string config, List<string> copyLocal) => new()
    {
        ModuleDefinition = module,
        Config = XElement.Parse(config),
        ResolveAssembly = name => Resolver.Resolve(AssemblyNameReference.Parse(name)),
        AssemblyFilePath = Path.Combine(Folder, "obj", module.Assembly.Name.Name + ".dll"),
        ReferenceCopyLocalPaths = copyLocal,
    };

    private static string? ReadMarker(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        return PatchMarker.Read(module);
    }
}
