using Gevent.Integration.Tests.Fixtures;
using Gevent.Weaver.Tests.Smoke;

namespace Gevent.Integration.Tests;

/// <summary>
/// Npgsql patched at build time by the Fody weaver (<c>PatchReferences="Npgsql"</c>) in a fresh consumer
/// project built from locally packed Gevent.Runtime and Gevent.Fody packages, run against PostgreSQL; woven as by
/// default and with resumable frames (<c>ResumableFrames="true"</c>).
/// </summary>
public sealed class NpgsqlFodyTests(PostgresServer server) : IClassFixture<PostgresServer>, IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("gevent-fody-npgsql-").FullName;

    public void Dispose() => Directory.Delete(_root, true);

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void A_consumer_with_PatchReferences_Npgsql_runs_two_hundred_queries_in_about_four_rounds(bool resumableFrames)
    {
        var packages = new LocalPackages(_root);
        var npgsqlVersion = typeof(Npgsql.NpgsqlConnection).Assembly.GetName().Version!.ToString(3);
        var consumer = packages.CreateConsumer(Path.Combine(_root, "Consumer"), $"""<PackageReference Include="Npgsql" Version="{npgsqlVersion}" />""", resumableFrames ? """PatchReferences="Npgsql" ResumableFrames="true" """ : """PatchReferences="Npgsql" """);
        // The same program the CLI tests publish, so both ways in are held to the same scenario.
        File.Copy(Path.Combine(LocalPackages.RepositoryRoot(), "testassets", "NpgsqlGreenlets", "Program.cs"), Path.Combine(consumer, "Program.cs"));

        var build = Dotnet.Run(consumer, packages.ConsumerEnvironment, "build", "-nodeReuse:false");

        Assert.Contains(" 0 Error(s)", build);
        var result = PatchedApp.RunJson(Path.Combine(consumer, "bin", "Debug", "net10.0", "Consumer.dll"), NpgsqlPatchedTests.s_limit, server.ConnectionString, "concurrent", "200", "warm");
        NpgsqlPatchedTests.AssertFourRounds(result);
    }
}
