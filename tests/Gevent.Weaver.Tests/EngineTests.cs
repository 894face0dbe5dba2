using System.Text.Json;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Weaver.Tests;

/// <summary>The shared engine on files, as the CLI will use it: idempotence, refusals, the report.</summary>
public sealed class EngineTests : TempFolderTests
{
    [Fact]
    public void PatchingAgainIsANoOpAndPatchingIsDeterministic()
    {
        var first = Path.Combine(Folder, "first.dll");
        var again = Path.Combine(Folder, "again.dll");
        var report = AssemblyFilePatcher.Patch(Woven.OriginalPath, first, Patcher(), Resolver);
        Assert.False(report.AlreadyPatched);
        Assert.True(report.RewrittenCount > 10);

        var second = AssemblyFilePatcher.Patch(first, again, Patcher(), Resolver);
        Assert.True(second.AlreadyPatched);
        Assert.Empty(second.Sites);
        Assert.Equal(File.ReadAllBytes(first), File.ReadAllBytes(again));

        // The same input patched again to the same path (the PDB path is part of the image) gives the same bytes.
        var image = File.ReadAllBytes(first);
        var symbols = File.ReadAllBytes(Path.ChangeExtension(first, ".pdb"));
        AssemblyFilePatcher.Patch(Woven.OriginalPath, first, Patcher(), Resolver);
        Assert.Equal(image, File.ReadAllBytes(first));
        Assert.Equal(symbols, File.ReadAllBytes(Path.ChangeExtension(first, ".pdb")));
    }

    [Fact]
    public void ThePatchedFileKeepsValidSymbolsAndPatchingInPlaceWorks()
    {
        var copy = Path.Combine(Folder, "AssemblyToProcess.dll");
        File.Copy(Woven.OriginalPath, copy);
        File.Copy(Path.ChangeExtension(Woven.OriginalPath, ".pdb"), Path.ChangeExtension(copy, ".pdb"));
        AssemblyFilePatcher.Patch(copy, copy, Patcher(), Resolver);

        using var module = ModuleDefinition.ReadModule(copy, new ReaderParameters { ReadSymbols = true });
        var plain = module.GetType("AssemblyToProcess.Sleeping").Methods.Single(m => m.Name == "Plain");
        Assert.EndsWith("Sleeping.cs", plain.DebugInformation.SequencePoints.First().Document.Url);
        Assert.StartsWith("engine ", PatchMarker.Read(module));
        // Replacements are referenced through the module's own references, never the running runtime's.
        var references = module.AssemblyReferences.Select(r => r.Name).ToList();
        Assert.DoesNotContain("System.Private.CoreLib", references);
        Assert.Contains("Gevent.Runtime", references);
        Assert.Contains("TestCatalog", references);
        Assert.Empty(Directory.GetFiles(Folder, "*.gevent-tmp*"));
    }

    [Fact]
    public void ACatalogsOwnReplacementsKeepCallingTheirOriginals()
    {
        var report = AssemblyFilePatcher.Patch(Path.Combine(AppContext.BaseDirectory, "TestCatalog.dll"), Path.Combine(Folder, "TestCatalog.dll"), Patcher(), Resolver);
        Assert.DoesNotContain(report.Sites, s => s.Type == "Gevent.TestCatalog.TestPatches");
    }

    [Fact]
    public void AnEmbeddedPdbStaysEmbeddedAndValid()
    {
        var embedded = Path.Combine(Folder, "embedded.dll");
        using (var module = ModuleDefinition.ReadModule(Woven.OriginalPath, new ReaderParameters { ReadSymbols = true }))
        {
            module.Write(embedded, new WriterParameters { WriteSymbols = true, SymbolWriterProvider = new Mono.Cecil.Cil.EmbeddedPortablePdbWriterProvider() });
        }

        AssemblyFilePatcher.Patch(embedded, embedded, Patcher(), Resolver);
        Assert.False(File.Exists(Path.ChangeExtension(embedded, ".pdb")));
        using var patched = ModuleDefinition.ReadModule(embedded, new ReaderParameters { ReadSymbols = true });
        Assert.Contains(patched.GetDebugHeader().Entries, e => e.Directory.Type == Mono.Cecil.Cil.ImageDebugType.EmbeddedPortablePdb);
        var plain = patched.GetType("AssemblyToProcess.Sleeping").Methods.Single(m => m.Name == "Plain");
        Assert.EndsWith("Sleeping.cs", plain.DebugInformation.SequencePoints.First().Document.Url);
    }

    [Fact]
    public void AStrongNamedAssemblyKeepsItsIdentity()
    {
        // xunit.assert is strong-named and, like any library, gets the marker when patched.
        var signed = Path.Combine(Folder, "xunit.assert.dll");
        AssemblyFilePatcher.Patch(Path.Combine(AppContext.BaseDirectory, "xunit.assert.dll"), signed, Patcher(), Resolver);
        using var original = ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "xunit.assert.dll"));
        using var patched = ModuleDefinition.ReadModule(signed);
        Assert.NotNull(PatchMarker.Read(patched));
        Assert.Equal(original.Assembly.Name.FullName, patched.Assembly.Name.FullName);
        Assert.Equal(original.Assembly.Name.PublicKey, patched.Assembly.Name.PublicKey);
        Assert.True(patched.Assembly.Name.HasPublicKey);
    }

    [Fact]
    public void AnAssemblyPatchedWithAnotherMarkerIsRefusedAndLeftAlone()
    {
        var foreign = Path.Combine(Folder, "foreign.dll");
        using (var module = ModuleDefinition.ReadModule(Woven.OriginalPath))
        {
            PatchMarker.Write(module, "engine 0.0.1; catalog 0000");
            module.Write(foreign);
        }

        var before = File.ReadAllBytes(foreign);
        var error = Assert.Throws<WeavingException>(() => AssemblyFilePatcher.Patch(foreign, foreign, Patcher(), Resolver));
        Assert.Contains("already patched by another Gevent engine or catalog (engine 0.0.1; catalog 0000)", error.Message);
        Assert.Equal(before, File.ReadAllBytes(foreign));
    }

    [Fact]
    public void AFileThatIsNotAnAssemblyIsRefusedClearly()
    {
        var text = Path.Combine(Folder, "native.dll");
        File.WriteAllText(text, "not a PE file");
        var error = Assert.Throws<WeavingException>(() => AssemblyFilePatcher.Patch(text, text, Patcher(), Resolver));
        Assert.Contains("is not a .NET assembly", error.Message);
        Assert.Equal("not a PE file", File.ReadAllText(text));
    }

    [Theory]
    [InlineData("mixed-mode")]
    [InlineData("ReadyToRun")]
    [InlineData("reference assembly")]
    public void ImagesWithoutPatchableIlAreRefusedClearly(string kind)
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath);
        switch (kind)
        {
            case "mixed-mode":
                module.Attributes &= ~ModuleAttributes.ILOnly;
                break;
            case "ReadyToRun":
                module.Attributes |= ModuleAttributes.ILLibrary;
                break;
            default:
                var attribute = new TypeReference("System.Runtime.CompilerServices", "ReferenceAssemblyAttribute", module, module.TypeSystem.CoreLibrary);
                module.Assembly.CustomAttributes.Add(new CustomAttribute(new MethodReference(".ctor", module.TypeSystem.Void, attribute) { HasThis = true }));
                break;
        }

        var error = Assert.Throws<WeavingException>(() => Patcher().Patch(module));
        Assert.Contains(kind, error.Message);
    }

    [Fact]
    public void TheJsonReportListsEverySiteWithItsSourceLine()
    {
        var report = AssemblyFilePatcher.Patch(Woven.OriginalPath, Path.Combine(Folder, "r.dll"), Patcher(), Resolver);
        using var json = JsonDocument.Parse(WeaveReport.ToJson([report]));
        var sites = json.RootElement[0].GetProperty("sites").EnumerateArray().ToList();
        var plain = sites.Single(s => s.GetProperty("method").GetString() == "Plain");
        Assert.Equal("Rewritten", plain.GetProperty("kind").GetString());
        Assert.EndsWith("Sleeping.cs", plain.GetProperty("file").GetString());
        Assert.True(plain.GetProperty("line").GetInt32() > 0);
        Assert.Equal("Gevent.Patches.ThreadPatches::Sleep", plain.GetProperty("replacement").GetString());
        Assert.Contains(sites, s => s.GetProperty("kind").GetString() == "BlockingNative" && s.GetProperty("original").GetString() == "libc!usleep");
        Assert.Matches(@"\n  Rewritten \S*Sleeping.cs:\d+: AssemblyToProcess.Sleeping.Plain\+IL_\w{4}: System.Threading.Thread::Sleep\(System.Int32\) -> ", report.ToText());
    }

    [Fact]
    public void IncludeAndExcludeChooseTheTypes()
    {
        var onlyStreams = new ModulePatcher(Catalog(), new TypeFilter(["AssemblyToProcess.Str*"], ["AssemblyToProcess.Streams.CountingStream"]));
        var report = AssemblyFilePatcher.Patch(Woven.OriginalPath, Path.Combine(Folder, "f.dll"), onlyStreams, Resolver);
        Assert.All(report.Sites, s => Assert.StartsWith("AssemblyToProcess.Streams", s.Type));
        Assert.NotEmpty(report.Sites);
    }

    [Fact]
    public void AConstrainedReceiverWarnsOnlyWhenItCouldBeAPatchedType()
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath, new ReaderParameters { AssemblyResolver = Resolver });
        var receivers = Catalog().Receivers;
        // The runtime patches ValueTaskAwaiter.GetResult: a struct that is a patched type itself.
        Assert.True(receivers.CouldBePatched(module.ImportReference(typeof(System.Runtime.CompilerServices.ValueTaskAwaiter))));
        Assert.False(receivers.CouldBePatched(module.ImportReference(typeof(List<int>.Enumerator))));
        Assert.True(receivers.CouldBePatched(module.ImportReference(typeof(IDisposable))));
        Assert.False(receivers.CouldBePatched(module.ImportReference(typeof(IComparable))));
        var type = module.GetType("AssemblyToProcess.Receivers");
        Assert.True(receivers.CouldBePatched(type.Methods.Single(m => m.Name == "DisposeGeneric").GenericParameters[0]));
        Assert.False(receivers.CouldBePatched(type.NestedTypes.Single(t => t.Name == "ValueDisposer`1").GenericParameters[0]));
        Assert.False(receivers.CouldBePatched(type.NestedTypes.Single(t => t.Name == "ComparableDisposer`1").GenericParameters[0]));
    }

    [Fact]
    public void AnAssemblyThatSkipsWeavingIsMarkedButLeftAsCompiled()
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath, new ReaderParameters { AssemblyResolver = Resolver });
        var attribute = module.GetType("Gevent.SkipWeavingAttribute").Methods.Single(m => m.IsConstructor);
        module.Assembly.CustomAttributes.Add(new CustomAttribute(attribute));

        var report = Patcher().Patch(module);

        Assert.Empty(report.Sites);
        Assert.NotNull(PatchMarker.Read(module));
        Assert.DoesNotContain(module.Assembly.CustomAttributes, a => a.AttributeType.Name == "SkipWeavingAttribute");
    }

    private ModulePatcher Patcher() => new(Catalog(), TypeFilter.All);

    private PatchCatalog Catalog()
    {
        var parameters = new ReaderParameters { AssemblyResolver = Resolver };
        return CatalogReader.Read(new[] { "Gevent.Runtime.dll", "TestCatalog.dll" }
            .Select(f => ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, f), parameters)));
    }
}
