using System.Reflection;

namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>Where the repository, the built tool and the build configuration are (stamped into this assembly at build time).</summary>
internal static class Repository
{
    /// <summary>The repository's root folder.</summary>
    public static string Root { get; } = Metadata("RepositoryRoot");

    /// <summary>The configuration this test assembly (and so the tool and test assets) was built in.</summary>
    public static string Configuration { get; } = Metadata("Configuration");

    /// <summary>The built gevent-patch tool.</summary>
    public static string Tool { get; } = Path.Combine(Root, "src", "gevent-patch-cli", "bin", Configuration, "net10.0", "gevent-patch.dll");

    private static string Metadata(string key) =>
        typeof(Repository).Assembly.GetCustomAttributes<AssemblyMetadataAttribute>().Single(a => a.Key == key).Value!;
}
