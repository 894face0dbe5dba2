namespace Gevent.Weaver.Tests;

/// <summary>Tests that observe process-wide state (the process's thread count) and must not overlap with others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential";
}
