namespace Gevent;

/// <summary>
/// Names one particular wait of one greenlet. Waking through a token taken for an earlier wait does
/// nothing, so a late timer or link can never resume a greenlet that has moved on to another wait.
/// </summary>
internal sealed class WakeToken(Greenlet greenlet)
{
    public Greenlet Greenlet { get; } = greenlet;

    public int Serial { get; } = greenlet.WaitSerial;

    /// <summary>A loop callback that wakes the token passed as its state.</summary>
    public static readonly Action<object?> WakeCallback = static state =>
    {
        var token = (WakeToken)state!;
        token.Greenlet.Hub.Wake(token);
    };
}
