namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>
/// The test apps, published once per test run (from the build that came with this test assembly)
/// into a temporary folder: tests copy what they change, the published folders stay pristine.
/// </summary>
public sealed class PublishedApps : IDisposable
{
    private readonly Scratch _scratch = new();

    /// <summary>Publishes the apps.</summary>
    public PublishedApps()
    {
        NappingApp = Publish("NappingApp");
        PlainNappingApp = Publish("PlainNappingApp");
        PlainWebApp = Publish("PlainWebApp");
        ResumableConsumerApp = Publish("ResumableConsumerApp");
    }

    /// <summary>An app that spawns greenlets calling the unpatched library (it carries Gevent.Runtime itself).</summary>
    public string NappingApp { get; }

    /// <summary>An app without Gevent.Runtime: patching must deploy the runtime and list it in its deps.json.</summary>
    public string PlainNappingApp { get; }

    /// <summary>An ASP.NET Core app without anything of Gevent: patching must deploy Gevent.AspNetCore too.</summary>
    public string PlainWebApp { get; }

    /// <summary>An app whose greenlet, spawned by ResumableConsumer, waits inside ResumableLibrary: linked when both are woven in one run.</summary>
    public string ResumableConsumerApp { get; }

    /// <summary>The unpatched "third-party" library as published.</summary>
    public string Library => Path.Combine(PlainNappingApp, "NappingLibrary.dll");

    /// <inheritdoc />
    public void Dispose() => _scratch.Dispose();

    private string Publish(string project)
    {
        var output = _scratch[project];
        var result = Processes.Dotnet("publish", Path.Combine(Repository.Root, "testassets", project), "-c", Repository.Configuration, "--no-build", "-o", output);
        Assert.True(result.ExitCode == 0, result.ToString());
        return output;
    }
}
