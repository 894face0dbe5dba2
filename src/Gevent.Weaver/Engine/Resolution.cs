using System;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>Resolving references whose assembly may be missing from the folders searched.</summary>
internal static class Resolution
{
    /// <summary>
    /// The result of <paramref name="resolve"/>, or null when an assembly it needs cannot be found: a missing
    /// dependency must not fail the weaving, so each caller treats the unknown as its safe answer.
    /// </summary>
    public static T? OrNull<T>(Func<T?> resolve)
        where T : class
    {
        try
        {
            return resolve();
        }
        catch (AssemblyResolutionException)
        {
            return null;
        }
    }
}
