using System.Net;
using System.Net.Sockets;

namespace Gevent.Patches;

/// <summary>
/// Cooperative replacements for <see cref="Dns"/>'s blocking lookups, through the resolver chosen by
/// <see cref="GeventConfig.Resolver"/> (<c>GEVENT_RESOLVER</c>): <see cref="ResolverKind.Thread"/> offloads the
/// original to the hub's thread pool (getaddrinfo has no non-blocking form), <see cref="ResolverKind.Block"/>
/// calls it in place. Results and exceptions are the original's.
/// </summary>
public static class DnsPatches
{
    /// <summary><see cref="Dns.GetHostEntry(string)"/>.</summary>
    [Patch(typeof(Dns), nameof(Dns.GetHostEntry), PatchKind.Static, PatchStrategy.Offload)]
    public static IPHostEntry GetHostEntry(string hostNameOrAddress) => Resolve(() => Dns.GetHostEntry(hostNameOrAddress));

    /// <summary><see cref="Dns.GetHostEntry(string, AddressFamily)"/>.</summary>
    [Patch(typeof(Dns), nameof(Dns.GetHostEntry), PatchKind.Static, PatchStrategy.Offload)]
    public static IPHostEntry GetHostEntry(string hostNameOrAddress, AddressFamily family) => Resolve(() => Dns.GetHostEntry(hostNameOrAddress, family));

    /// <summary><see cref="Dns.GetHostEntry(IPAddress)"/> (a reverse lookup).</summary>
    [Patch(typeof(Dns), nameof(Dns.GetHostEntry), PatchKind.Static, PatchStrategy.Offload)]
    public static IPHostEntry GetHostEntry(IPAddress address) => Resolve(() => Dns.GetHostEntry(address));

    /// <summary><see cref="Dns.GetHostAddresses(string)"/>.</summary>
    [Patch(typeof(Dns), nameof(Dns.GetHostAddresses), PatchKind.Static, PatchStrategy.Offload)]
    public static IPAddress[] GetHostAddresses(string hostNameOrAddress) => Resolve(() => Dns.GetHostAddresses(hostNameOrAddress));

    /// <summary><see cref="Dns.GetHostAddresses(string, AddressFamily)"/>.</summary>
    [Patch(typeof(Dns), nameof(Dns.GetHostAddresses), PatchKind.Static, PatchStrategy.Offload)]
    public static IPAddress[] GetHostAddresses(string hostNameOrAddress, AddressFamily family) => Resolve(() => Dns.GetHostAddresses(hostNameOrAddress, family));

    /// <summary><see cref="Dns.GetHostName"/> (gethostname, which may consult the resolver).</summary>
    [Patch(typeof(Dns), nameof(Dns.GetHostName), PatchKind.Static, PatchStrategy.Offload)]
    public static string GetHostName() => Resolve(Dns.GetHostName);

    /// <summary>Runs a lookup as <paramref name="resolver"/> says (default: the configured one).</summary>
    internal static T Resolve<T>(Func<T> lookup, ResolverKind? resolver = null) =>
        (resolver ?? GeventConfig.Current.Resolver) == ResolverKind.Block ? lookup() : Offload.Run(lookup);
}
