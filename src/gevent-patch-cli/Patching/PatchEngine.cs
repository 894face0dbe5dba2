using Gevent.Cli.Inputs;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Cli.Patching;

/// <summary>
/// Sets the shared engine up for each file: the catalog comes from the Gevent.Runtime.dll of the
/// file's app folder (or the file's own folder) when there is one — the app's own runtime —
/// otherwise from the copy shipped with this tool; references resolve from the file's folder, the
/// app folder, the runtime's folder and the shared framework (one resolver, and cache, per folder).
/// </summary>
internal sealed class PatchEngine(TypeFilter filter, bool resumableFrames = false) : IDisposable
{
    private readonly Dictionary<string, ModuleDefinition> _runtimes = new();
    private readonly Dictionary<string, DefaultAssemblyResolver> _resolvers = new();

    /// <summary>The Gevent.Runtime.dll shipped with this tool.</summary>
    public static string BundledRuntime { get; } = Path.Combine(AppContext.BaseDirectory, CatalogReader.RuntimeAssemblyName + ".dll");

    /// <summary>The runtime whose catalog patches the files of <paramref name="folder"/>.</summary>
    public static string RuntimeFor(string folder)
    {
        var beside = Path.Combine(folder, CatalogReader.RuntimeAssemblyName + ".dll");
        return File.Exists(beside) ? beside : BundledRuntime;
    }

    /// <summary>Reads the catalog of <paramref name="runtimePath"/> alone (no add-on catalogs).</summary>
    public PatchCatalog RuntimeCatalog(string runtimePath) => CatalogReader.Read([Runtime(runtimePath)]);

    /// <summary>
    /// Reads <paramref name="input"/>, finds the catalog that patches it and checks that it can be patched (nothing
    /// is changed yet): <see cref="Weave"/> patches it, alone or with other inputs of the run.
    /// </summary>
    /// <exception cref="WeavingException">The assembly cannot be patched.</exception>
    /// <exception cref="AssemblyResolutionException">A dependency the engine needs cannot be found.</exception>
    public LoadedAssembly Load(Input input)
    {
        var folder = Path.GetDirectoryName(input.Path)!;
        var runtimePath = RuntimeFor(input.Folder ?? folder);
        var resolver = Resolver(folder, input.Folder, runtimePath);
        var module = AssemblyFilePatcher.Read(input.Path, resolver);
        try
        {
            var unresolved = new List<string>();
            var catalog = CatalogLocator.Find(module, Runtime(runtimePath), reference =>
            {
                try
                {
                    return resolver.Resolve(reference);
                }
                catch (AssemblyResolutionException)
                {
                    unresolved.Add(reference.FullName);
                    return null;
                }
            });
            var patcher = new ModulePatcher(catalog, filter, resumableFrames);
            patcher.Check(module);
            return new LoadedAssembly(input, module, patcher, runtimePath, unresolved, catalog.Conflicts);
        }
        catch
        {
            module.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Patches <paramref name="assemblies"/> in memory as one run (<see cref="ModulePatcher.PatchTogether"/>): with
    /// resumable frames, a call from one of them into a method another rewrites links. Nothing is written.
    /// </summary>
    /// <exception cref="WeavingException">One of them cannot be woven (none is patched then).</exception>
    public IReadOnlyList<Analysis> Weave(IReadOnlyList<LoadedAssembly> assemblies)
    {
        var reports = ModulePatcher.PatchTogether(assemblies.Select(a => (a.Patcher, a.Module)).ToList());
        return assemblies.Select((a, i) => new Analysis(a, reports[i])).ToList();
    }

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var resolver in _resolvers.Values)
        {
            resolver.Dispose();
        }

        foreach (var runtime in _runtimes.Values)
        {
            runtime.Dispose();
        }
    }

    private DefaultAssemblyResolver Resolver(string folder, string? appFolder, string runtimePath)
    {
        if (!_resolvers.TryGetValue(folder, out var resolver))
        {
            resolver = new DefaultAssemblyResolver();
            foreach (var directory in new[] { folder, appFolder, Path.GetDirectoryName(runtimePath) }.OfType<string>().Distinct())
            {
                resolver.AddSearchDirectory(directory);
            }

            _resolvers.Add(folder, resolver);
        }

        return resolver;
    }

    private ModuleDefinition Runtime(string path)
    {
        if (!_runtimes.TryGetValue(path, out var runtime))
        {
            runtime = ModuleDefinition.ReadModule(path, new ReaderParameters { InMemory = true });
            _runtimes.Add(path, runtime);
        }

        return runtime;
    }
}
