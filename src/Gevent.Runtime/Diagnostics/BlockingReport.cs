using System.Text;

namespace Gevent;

/// <summary>
/// A greenlet held its hub's baton longer than <see cref="HubMonitor.MaxBlockingTime"/> without
/// yielding — a CPU loop or a blocking call that was not made cooperative — while others waited.
/// </summary>
public sealed class BlockingReport : EventArgs
{
    internal BlockingReport(Hub hub, Greenlet greenlet, TimeSpan blockedFor)
    {
        Hub = hub;
        Greenlet = greenlet;
        BlockedFor = blockedFor;
        GreenletName = greenlet.Name;
        LastWaitedOn = greenlet.LastWaitedOn;
        SpawnedAt = greenlet.SpawnedAt?.ToString();
        ResumedAt = greenlet.ResumedAt?.ToString();
    }

    /// <summary>The hub that could not run its other greenlets.</summary>
    public Hub Hub { get; }

    /// <summary>The greenlet holding the baton.</summary>
    public Greenlet Greenlet { get; }

    /// <summary>The greenlet's name when it was reported.</summary>
    public string GreenletName { get; }

    /// <summary>How long it had held the baton when reported (at least; the monitor samples).</summary>
    public TimeSpan BlockedFor { get; }

    /// <summary>What the greenlet last blocked on before this stretch, e.g. <c>Sleep()</c>; null if it never blocked.</summary>
    public string? LastWaitedOn { get; }

    /// <summary>Where the greenlet was started (a stack trace), if it started while the monitor ran.</summary>
    public string? SpawnedAt { get; }

    /// <summary>Where the greenlet last came back from a blocking point (a stack trace), if the monitor ran then.</summary>
    public string? ResumedAt { get; }

    /// <inheritdoc />
    public override string ToString()
    {
        var text = new StringBuilder()
            .Append($"Greenlet '{GreenletName}' of hub {Hub.Id} has blocked the hub for {BlockedFor.TotalMilliseconds:0} ms without yielding");
        text.Append(LastWaitedOn is null ? " (it has not blocked cooperatively since it started)." : $" (last cooperative wait: {LastWaitedOn}).");
        if (ResumedAt is not null)
        {
            text.AppendLine().Append("Last resumed at:").AppendLine().Append(ResumedAt.TrimEnd());
        }

        if (SpawnedAt is not null)
        {
            text.AppendLine().Append("Spawned at:").AppendLine().Append(SpawnedAt.TrimEnd());
        }

        return text.ToString();
    }
}
