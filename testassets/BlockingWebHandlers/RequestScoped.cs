using System.Collections.Concurrent;

namespace BlockingWebHandlers;

/// <summary>A service registered per request scope, which remembers which instances have been disposed.</summary>
public sealed class RequestScoped : IDisposable
{
    private static readonly ConcurrentDictionary<Guid, bool> s_disposed = new();

    /// <summary>This instance's identity, unique in the process.</summary>
    public Guid Id { get; } = Guid.NewGuid();

    /// <summary>Whether the instance with <paramref name="id"/> has been disposed, as its request scope ends.</summary>
    public static bool IsDisposed(Guid id) => s_disposed.ContainsKey(id);

    /// <inheritdoc />
    public void Dispose() => s_disposed[Id] = true;
}
