namespace Gevent.Tests;

/// <summary>Tests that observe process-wide state (open descriptors) or hog a CPU, and must not overlap with others.</summary>
[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class SequentialCollection
{
    public const string Name = "Sequential";
}
