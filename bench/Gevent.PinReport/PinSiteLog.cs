using System.Collections.Concurrent;
using System.Diagnostics;
using System.Reflection;

namespace Gevent.PinReport;

/// <summary>
/// Pins counted by reason and where they happened, from the stacks the runtime logs with each pin: the
/// <em>site</em> is the first frame outside Gevent.Runtime (the blocking call's caller), and the frame the chain
/// <em>breaks at</em> is the first frame outside Gevent.Runtime that is not resumable (for an un-woven frame,
/// the method the weaver left as compiled).
/// </summary>
internal sealed class PinSiteLog
{
    private const string ResumableAttribute = "Gevent.CompilerServices.ResumableAttribute";

    private static readonly Assembly s_runtime = typeof(Greenlet).Assembly;

    private readonly ConcurrentDictionary<(string Reason, string Site, string BreaksAt), long> _counts = new();

    /// <summary>Counts one pin for <paramref name="reason"/> logged with <paramref name="stack"/>.</summary>
    public void Add(string reason, StackTrace stack)
    {
        var outside = stack.GetFrames().Select(f => f.GetMethod()).OfType<MethodBase>().Where(m => m.Module.Assembly != s_runtime).ToList();
        var site = outside.FirstOrDefault();
        var breaksAt = outside.FirstOrDefault(m => !m.CustomAttributes.Any(a => a.AttributeType.FullName == ResumableAttribute));
        _counts.AddOrUpdate((reason, Name(site), Name(breaksAt)), 1, (_, n) => n + 1);
    }

    /// <summary>The counts so far, most frequent first.</summary>
    public IEnumerable<KeyValuePair<(string Reason, string Site, string BreaksAt), long>> Snapshot() =>
        _counts.ToArray().OrderByDescending(c => c.Value);

    private static string Name(MethodBase? method) => method is null ? "-" : $"{method.DeclaringType?.FullName}.{method.Name}";
}
