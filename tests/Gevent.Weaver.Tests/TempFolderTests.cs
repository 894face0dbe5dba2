using Mono.Cecil;

namespace Gevent.Weaver.Tests;

/// <summary>A temporary folder per test and a resolver for the test's output folder, both cleaned up.</summary>
public abstract class TempFolderTests : IDisposable
{
    protected TempFolderTests() => Resolver.AddSearchDirectory(AppContext.BaseDirectory);

    protected string Folder { get; } = Directory.CreateTempSubdirectory("gevent-weaver-").FullName;

    protected DefaultAssemblyResolver Resolver { get; } = new();

    public void Dispose()
    {
        Resolver.Dispose();
        Directory.Delete(Folder, true);
        GC.SuppressFinalize(this);
    }
}
