using Microsoft.Extensions.Logging;

namespace Gevent;

/// <summary>
/// Interruptions that outlive a library's catch-all. .NET has no <c>BaseException</c> that
/// <c>catch (Exception)</c> would miss, so drivers catch a kill or a timeout around their I/O and wrap it,
/// replace it or swallow it and retry. A kill therefore stands until the greenlet's function returns, and
/// a timeout that fired stands until its scope ends: every later blocking point of the greenlet throws
/// it again, as every later call with a cancelled <see cref="CancellationToken"/> throws.
/// </summary>
public partial class Greenlet
{
    /// <summary>
    /// Stands for the default kill (a new <see cref="GreenletExit"/>) until it is thrown, and is never thrown itself:
    /// the exception is made at the blocking point, so killing many parked greenlets at once does not create them
    /// all first, where they would outlive young collections while they wait their turn (docs/execution-tiers.md).
    /// </summary>
    private static readonly GreenletExit s_defaultKill = new();

    private static readonly ILogger s_interruptionLog = GeventLogging.CreateLogger("Gevent.Greenlet");

    private List<GreenTimeout>? _expiredTimeouts;

    /// <summary>The kill delivered to this spawned greenlet, or null; it stands until the function returns.</summary>
    private Exception? _standingKill;

    /// <summary>True once the standing kill has been thrown at a blocking point.</summary>
    private bool _killDelivered;

    /// <summary>How many <see cref="EnterCleanup"/> scopes are open.</summary>
    private int _cleanups;

    /// <summary>
    /// What the next blocking point must throw even with nothing pending: a standing kill, else the first
    /// expired timeout in scope; nothing inside an <see cref="EnterCleanup"/> scope.
    /// </summary>
    internal Exception? StandingInterruption => _cleanups > 0 ? null : _standingKill ?? _expiredTimeouts?[0].Thrown;

    /// <summary>The kill this greenlet received and has not yet left behind, for timeouts to let through.</summary>
    internal Exception? StandingKill => _standingKill;

    /// <summary>
    /// Called as <paramref name="interruption"/> is thrown at a blocking point; returns the exception to throw: a new
    /// <see cref="GreenletExit"/> for the default kill, which then stands in its place.
    /// </summary>
    internal Exception OnInterrupted(Exception interruption)
    {
        if (interruption == s_defaultKill)
        {
            interruption = new GreenletExit();
            if (_standingKill == s_defaultKill)
            {
                _standingKill = interruption;
            }
        }

        _killDelivered |= interruption == _standingKill;
        return interruption;
    }

    /// <summary>
    /// Opens a scope for the runtime's own cleanup that must wait after an interruption (taking back a
    /// barrier signal): standing interruptions do not re-throw inside it; a new kill or timeout still does.
    /// </summary>
    internal CleanupWait EnterCleanup()
    {
        _cleanups++;
        return new CleanupWait(this);
    }

    /// <summary>Keeps re-throwing <paramref name="timeout"/>'s exception at this greenlet's blocking points until it is cancelled.</summary>
    internal void AddExpiredTimeout(GreenTimeout timeout) => (_expiredTimeouts ??= []).Add(timeout);

    /// <summary>Ends <paramref name="timeout"/>'s standing interruption (its scope ended).</summary>
    internal void RemoveExpiredTimeout(GreenTimeout timeout)
    {
        if (_expiredTimeouts is { } expired && expired.Remove(timeout) && expired.Count == 0)
        {
            _expiredTimeouts = null;
        }
    }

    /// <summary>
    /// Makes <paramref name="kill"/> stand for a spawned greenlet. A main greenlet has no function whose
    /// return would end it, so its kill is thrown once, as before.
    /// </summary>
    private void StandKill(Exception kill)
    {
        if (!IsMain)
        {
            _standingKill = kill;
        }
    }

    /// <summary>
    /// A function that ends with an exception of its own after its kill was delivered ends as killed: the
    /// library wrapped or replaced the kill. The library's exception goes to the debug log.
    /// </summary>
    private Exception? OutcomeAfterKill(Exception? outcome)
    {
        if (!_killDelivered || outcome is null || outcome == _standingKill)
        {
            return outcome;
        }

        s_interruptionLog.LogDebug(
            outcome, "Greenlet '{Greenlet}' was killed; its function then ended with another exception, so it ends as killed.", Name);
        return _standingKill;
    }

    /// <summary>The scope <see cref="EnterCleanup"/> opens; disposing it closes it.</summary>
    internal readonly struct CleanupWait(Greenlet greenlet) : IDisposable
    {
        public void Dispose() => greenlet._cleanups--;
    }
}
