namespace Gevent.Bench.Load;

/// <summary>
/// Where the repository's other projects were built, in the same configuration as this bench: a load test runs
/// exactly what users run, not a copy compiled into the bench.
/// </summary>
internal static class BuiltProject
{
    /// <summary>The configuration this bench was built in (Release or Debug).</summary>
    public static string Configuration { get; } = new DirectoryInfo(AppContext.BaseDirectory).Parent!.Name;

    /// <summary>The repository's root folder (the one holding Gevent.sln).</summary>
    public static string RepositoryRoot { get; } = FindRepositoryRoot();

    /// <summary>The built <c>NAME.dll</c> of the project <c>FOLDER/NAME</c>, or throws saying how to build it.</summary>
    public static string Assembly(string folder, string name, string? assemblyName = null)
    {
        var assembly = Path.Combine(RepositoryRoot, folder, name, "bin", Configuration, "net10.0", (assemblyName ?? name) + ".dll");
        return File.Exists(assembly)
            ? assembly
            : throw new FileNotFoundException($"not built: dotnet build -c {Configuration} {folder}/{name}", assembly);
    }

    private static string FindRepositoryRoot()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (repository is not null && !File.Exists(Path.Combine(repository.FullName, "Gevent.sln")))
        {
            repository = repository.Parent;
        }

        return repository?.FullName ?? ".";
    }
}
