namespace Gevent.Weaver.Tests.Smoke;

/// <summary>
/// Gevent.Runtime and Gevent.Fody packed from this repository into a local feed under a unique version,
/// with a private package cache, so a consumer project restores exactly these packages (no stale package
/// can be served). Shared by the weaver's smoke test and the integration tests (a linked source file).
/// </summary>
internal sealed class LocalPackages
{
    private readonly string _feed;
    private readonly string _packages;

    /// <summary>Packs both packages under <paramref name="root"/> (a temporary folder the caller deletes).</summary>
    public LocalPackages(string root)
    {
        // Packed from a copy of the sources, so the repository's own build outputs are never rebuilt under another version.
        var sources = CopySources(Path.Combine(root, "src"));
        Version = $"0.0.0-smoke.{DateTime.UtcNow:yyyyMMddHHmmss}.{Environment.ProcessId}";
        _feed = Path.Combine(root, "feed");
        _packages = Path.Combine(root, "packages");
        foreach (var project in new[] { "src/Gevent.Runtime/Gevent.Runtime.csproj", "src/Gevent.Weaver/Gevent.Fody.csproj" })
        {
            Dotnet.Run(sources, new Dictionary<string, string>(), "pack", project, "-o", _feed, $"-p:Version={Version}", "-nodeReuse:false");
        }
    }

    /// <summary>The packages' version.</summary>
    public string Version { get; }

    /// <summary>The environment a consumer's <c>dotnet</c> commands need: the private package cache.</summary>
    public Dictionary<string, string> ConsumerEnvironment => new() { ["NUGET_PACKAGES"] = _packages };

    /// <summary>
    /// Creates the console project <paramref name="folder"/>/Consumer.csproj referencing Gevent.Fody and
    /// <paramref name="reference"/> (an MSBuild item), its FodyWeavers.xml with
    /// <c>&lt;Gevent <paramref name="geventAttributes"/> /&gt;</c>, and a nuget.config that finds these packages.
    /// The caller adds Program.cs. Returns the folder.
    /// </summary>
    public string CreateConsumer(string folder, string reference, string geventAttributes)
    {
        Directory.CreateDirectory(folder);
        File.WriteAllText(Path.Combine(folder, "Consumer.csproj"), $"""
            <Project Sdk="Microsoft.NET.Sdk">
              <PropertyGroup>
                <OutputType>Exe</OutputType>
                <TargetFramework>net10.0</TargetFramework>
                <ImplicitUsings>enable</ImplicitUsings>
                <Nullable>enable</Nullable>
              </PropertyGroup>
              <ItemGroup>
                <PackageReference Include="Gevent.Fody" Version="{Version}" />
                {reference}
              </ItemGroup>
            </Project>
            """);
        // In the form Fody itself rewrites it to on a first build (with its schema), as a user's file looks.
        File.WriteAllText(Path.Combine(folder, "FodyWeavers.xml"), $"""
            <?xml version="1.0" encoding="utf-8"?>
            <Weavers xmlns:xsi="http://www.w3.org/2001/XMLSchema-instance" xsi:noNamespaceSchemaLocation="FodyWeavers.xsd">
              <Gevent {geventAttributes} />
            </Weavers>
            """);
        WriteNugetConfig(folder);
        return folder;
    }

    /// <summary>
    /// Writes a nuget.config into <paramref name="consumer"/>: the local feed and the user's cache, added to the sources
    /// the user's own NuGet configuration names (no public source is written here).
    /// </summary>
    private void WriteNugetConfig(string consumer)
    {
        // The user's package cache serves as a plain local feed for Fody and third-party packages, so nothing is downloaded twice.
        var userPackages = Environment.GetEnvironmentVariable("NUGET_PACKAGES") ?? Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".nuget", "packages");
        File.WriteAllText(Path.Combine(consumer, "nuget.config"), $"""
            <configuration>
              <packageSources>
                <add key="local" value="{_feed}" />
                <add key="user-cache" value="{userPackages}" />
              </packageSources>
            </configuration>
            """);
    }

    /// <summary>The repository's root folder (the one holding Gevent.sln above the test's output).</summary>
    public static string RepositoryRoot()
    {
        var repository = new DirectoryInfo(AppContext.BaseDirectory);
        while (!File.Exists(Path.Combine(repository.FullName, "Gevent.sln")))
        {
            repository = repository.Parent ?? throw new InvalidOperationException("Gevent.sln not found above " + AppContext.BaseDirectory);
        }

        return repository.FullName;
    }

    /// <summary>The shared props and the two packed projects' sources (no bin/obj) copied under <paramref name="target"/>.</summary>
    private static string CopySources(string target)
    {
        var repository = RepositoryRoot();
        foreach (var file in new[] { "Directory.Build.props", "Directory.Packages.props" })
        {
            Copy(Path.Combine(repository, file), Path.Combine(target, file));
        }

        foreach (var project in new[] { "src/Gevent.Runtime", "src/Gevent.Weaver" })
        {
            var from = Path.Combine(repository, project);
            foreach (var file in Directory.EnumerateFiles(from, "*", SearchOption.AllDirectories))
            {
                var relative = Path.GetRelativePath(from, file);
                if (!relative.StartsWith("bin" + Path.DirectorySeparatorChar) && !relative.StartsWith("obj" + Path.DirectorySeparatorChar))
                {
                    Copy(file, Path.Combine(target, project, relative));
                }
            }
        }

        return target;
    }

    private static void Copy(string from, string to)
    {
        Directory.CreateDirectory(Path.GetDirectoryName(to)!);
        File.Copy(from, to);
    }
}
