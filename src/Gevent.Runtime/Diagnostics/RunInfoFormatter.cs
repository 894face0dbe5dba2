using System.Text;

namespace Gevent;

/// <summary>
/// gevent's <c>format_run_info</c>: a hub's live greenlets as a tree by who spawned whom, each with its
/// state and what it waits on.
/// </summary>
internal static class RunInfoFormatter
{
    public static string Format(Hub hub)
    {
        var live = hub.Live.OrderBy(g => g.Id).ToList();
        var ids = live.Select(g => g.Id).ToHashSet();
        var children = live.Where(g => g.ParentId is { } parent && ids.Contains(parent)).ToLookup(g => g.ParentId!.Value);
        var text = new StringBuilder()
            .Append($"{hub}: {live.Count} greenlets alive, {hub.Switches} switches, {hub.Loop.Iterations} loop iterations")
            .AppendLine();
        if (hub.Pins.Suspensions > 0)
        {
            text.Append($"stackless suspensions: {hub.Pins.Suspensions}").AppendLine();
        }

        if (hub.Pins.Describe() is { } pins)
        {
            text.Append(pins).AppendLine();
        }

        // Roots: greenlets whose spawner is not alive any more (or was never a greenlet of this hub).
        foreach (var root in live.Where(g => g.ParentId is not { } parent || !ids.Contains(parent)))
        {
            Append(text, root, children, depth: 0);
        }

        return text.ToString();
    }

    private static void Append(StringBuilder text, Greenlet greenlet, ILookup<int, Greenlet> children, int depth)
    {
        var indent = new string(' ', depth * 2);
        text.Append(indent).Append("+ ").Append(greenlet.Name).Append(": ").Append(Describe(greenlet)).AppendLine();
        if (greenlet.SpawnedAt?.GetFrame(0)?.GetMethod() is { } spawner)
        {
            text.Append(indent).Append("  spawned in ").Append(spawner.DeclaringType?.FullName).Append('.').Append(spawner.Name).AppendLine();
        }

        foreach (var child in children[greenlet.Id])
        {
            Append(text, child, children, depth + 1);
        }
    }

    private static string Describe(Greenlet greenlet) => greenlet.Frames is null
        ? DescribeState(greenlet)
        : greenlet.PinnedFor is { } reason ? $"{DescribeState(greenlet)}, stackless, pinned ({reason})" : $"{DescribeState(greenlet)}, stackless";

    private static string DescribeState(Greenlet greenlet) => greenlet.State switch
    {
        GreenletState.Running => "running",
        GreenletState.Parked => $"waiting on {greenlet.WaitingOn}",
        GreenletState.Ready => $"ready (woken from {greenlet.WaitingOn})",
        GreenletState.Scheduled => "scheduled, not started yet",
        _ => greenlet.State.ToString().ToLowerInvariant(),
    };
}
