namespace ResumableCases;

/// <summary>
/// Interpolated strings over a type of the set, next to waits, as Npgsql's <c>OpenNewConnector</c> formats its connector
/// array: the handler's <c>AppendFormatted&lt;T&gt;</c> runs only the value's <c>ToString</c> (an array's is
/// <c>Object</c>'s, even over a <see cref="LoudDial"/>), which does not wait here, so it is no site and the method is rewritten.
/// </summary>
public sealed class FormattingRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public long Result { get; private set; }

    public void Run()
    {
        Dial[] dials = [new Dial(1), new Dial(2)];
        LoudDial[] louds = [new LoudDial(Log)];
        for (var i = 0; i < dials.Length; i++)
        {
            Log.Add($"dial {dials[i]} of {dials} beside {louds}");
            Thread.Yield();
            Result = Result * 10 + dials[i].Number;
        }
    }
}

/// <summary>
/// The same over a type whose formatting waits: the handler runs it under its own frame, so the site may suspend and
/// pins, and the method is not rewritten.
/// </summary>
public sealed class LoudFormattingRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public long Result { get; private set; }

    public void Run()
    {
        var dial = new LoudDial(Log);
        Log.Add($"loud {dial}");
        Thread.Yield();
        Result = 1;
    }
}

/// <summary>A type of the set whose formatting does not wait, but which has a member outside code may enter that does.</summary>
public sealed class Dial(int number) : IServiceProvider
{
    /// <summary>Which dial it is.</summary>
    public int Number { get; } = number;

    /// <summary>Formats without waiting.</summary>
    public override string ToString() => "#" + Number;

    /// <summary>Yields: taken by the general rule for a member a generic callee could run.</summary>
    public object? GetService(Type serviceType)
    {
        Thread.Yield();
        return null;
    }
}

/// <summary>
/// A type of the set whose span formatting waits (the member the handler calls for an <see cref="ISpanFormattable"/>;
/// its plain <c>ToString</c> does not wait, so the set's other <c>ToString</c> calls are not made suspendable by it).
/// </summary>
public sealed class LoudDial(List<string> log) : ISpanFormattable
{
    /// <summary>Formats without waiting.</summary>
    public override string ToString() => "loud";

    /// <summary>Formats without waiting.</summary>
    public string ToString(string? format, IFormatProvider? formatProvider) => "loud";

    /// <summary>Logs, yields, and formats.</summary>
    public bool TryFormat(Span<char> destination, out int charsWritten, ReadOnlySpan<char> format, IFormatProvider? provider)
    {
        log.Add("formatting");
        Thread.Yield();
        var fits = "loud".AsSpan().TryCopyTo(destination);
        charsWritten = fits ? 4 : 0;
        return fits;
    }
}
