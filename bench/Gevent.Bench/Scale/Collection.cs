namespace Gevent.Bench.Scale;

/// <summary>The kinds of forced collection whose pause the <c>scale</c> command measures.</summary>
internal enum Collection
{
    /// <summary>A blocking gen0 collection: what a greenlet-heavy program pays most often.</summary>
    Gen0,

    /// <summary>A blocking full collection: marks every live object with the program stopped (gevent's <c>gc.collect()</c> is one).</summary>
    Gen2,

    /// <summary>A background full collection, as the concurrent GC runs gen2 in a program: marks while it runs, pausing it twice briefly.</summary>
    Gen2Background,
}
