namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>The test classes that share one <see cref="PublishedApps"/> (published once for all of them).</summary>
[CollectionDefinition(Name)]
public sealed class PublishedAppsCollection : ICollectionFixture<PublishedApps>
{
    /// <summary>The collection's name.</summary>
    public const string Name = "published apps";
}
