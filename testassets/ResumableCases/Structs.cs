namespace ResumableCases;

/// <summary>
/// A value type whose instance methods suspend while writing through <c>this</c>: called on a caller's local, the
/// caller takes the local's address again on resume, so they run stackless and every write reaches the caller's copy;
/// its static method is rewritten too.
/// </summary>
public struct Counter(List<string> log)
{
    /// <summary>How many ticks this counter has counted.</summary>
    public int Count { get; private set; }

    /// <summary>Counts <paramref name="n"/> ticks, yielding after each: the caller's copy must see every one.</summary>
    public void Tick(int n)
    {
        for (var i = 0; i < n; i++)
        {
            Count++;
            Thread.Yield();
            log.Add("tick " + Count);
        }
    }

    /// <summary>
    /// Counts a tick, throws if <paramref name="throwAt"/> is "before", yields, counts another, throws if it is "after":
    /// what was counted before the throw must reach the caller's copy.
    /// </summary>
    public void TickThenThrow(string throwAt)
    {
        Count++;
        if (throwAt == "before")
        {
            throw new InvalidOperationException("before " + Count);
        }

        Thread.Yield();
        Count++;
        log.Add("tick " + Count);
        if (throwAt == "after")
        {
            throw new InvalidOperationException("after " + Count);
        }
    }

    /// <summary>Twice <paramref name="x"/>, after a yield: a static method of a value type has no <c>this</c> to keep.</summary>
    public static int Doubled(int x)
    {
        Thread.Yield();
        return 2 * x;
    }
}

/// <summary>A readonly value type whose instance method suspends: called on a temporary, which is a local of its caller.</summary>
public readonly struct Reading(double value)
{
    /// <summary>The value, after a yield.</summary>
    public string Describe()
    {
        Thread.Yield();
        return "reading " + value;
    }
}

/// <summary>A greenlet body that suspends stacklessly, then in a struct's methods called on its locals.</summary>
public sealed class StructRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    /// <summary>A rewritten static struct method, then ticks through a local struct's <c>this</c> and reads its count.</summary>
    public void Run()
    {
        var doubled = Counter.Doubled(2);
        Log.Add("doubled " + doubled);
        Result = TickedCount(3) + doubled;
        Log.Add(Described(Result));
    }

    private static string Described(int value) => new Reading(value).Describe();

    private int TickedCount(int n)
    {
        var counter = new Counter(Log);
        counter.Tick(n);
        Log.Add("counted " + counter.Count);
        return counter.Count;
    }
}

/// <summary>
/// A struct's method throwing before or after its suspension, called on a local of a try block's method: the catch
/// and what follows read the local, which holds what was counted up to the throw.
/// </summary>
public sealed class StructThrows(string throwAt)
{
    /// <summary>The steps <see cref="Counter.TickThenThrow"/> may throw at ("" nowhere), and "uncaught" (after a resume, out of the body).</summary>
    public static readonly string[] ThrowPoints = ["", "before", "after", "uncaught"];

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    public void Run()
    {
        var counter = new Counter(Log);
        try
        {
            counter.TickThenThrow(throwAt);
        }
        catch (InvalidOperationException e)
        {
            Log.Add("caught " + e.Message + ", count " + counter.Count);
        }

        Log.Add("count " + counter.Count);
        var last = throwAt == "uncaught" ? "after" : "";
        counter.TickThenThrow(last);
        Log.Add("end " + counter.Count);
    }
}

/// <summary>
/// A struct held in a field of a class: its address is the field's, which a frame could not take again from a
/// saved local, so the call pins (<c>ByRef</c>) and the struct's waits run pinned.
/// </summary>
public sealed class HeldCounter
{
    private Counter _counter;

    public HeldCounter() => _counter = new Counter(Log);

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    public void Run()
    {
        Thread.Yield();
        _counter.Tick(2);
        Log.Add("held " + _counter.Count);
    }
}


/// <summary>
/// A struct whose methods keep their <c>this</c> on the stack across suspending calls: below a call's arguments
/// (<c>_last = Label(…)</c>, <c>Steps = Steps + (n > 0 ? Bumped() : 0)</c>), as the receiver (<c>this.Label(…)</c>), and the address of
/// a field of it as the receiver (<c>_inner.Tick(…)</c>). Each is pushed again on resume, and the writes made through
/// <c>this</c> before and after each suspension reach the caller's copy. It throws at <c>throwAt</c>: "before"
/// <see cref="Label"/>'s yield, "after" its resume, or nowhere.
/// </summary>
public struct Tally(List<string> log, string throwAt)
{
    private Counter _inner = new(log);
    private string _last = "";

    /// <summary>What the tally counted: each step adds its own power of ten.</summary>
    public int Steps { get; private set; }

    /// <summary>Writes through <c>this</c> around every suspending call, <paramref name="n"/> ticks of the inner counter included.</summary>
    public void Run(int n)
    {
        Steps++;
        _last = Label("first");
        _inner.Tick(n);
        // Steps is read before Bumped writes it: the original drops Bumped's write, and so must the woven code. The
        // branch lies between the this pushed for the setter and the call (EnsureLong's shape in Npgsql).
        Steps = Steps + (n > 0 ? Bumped() : 0);
        log.Add("tally " + Steps + ", " + _last + ", inner " + _inner.Count);
    }

    private string Label(string what)
    {
        Steps += 10;
        if (throwAt == "before")
        {
            throw new InvalidOperationException("before " + Steps);
        }

        Thread.Yield();
        if (throwAt == "after")
        {
            throw new InvalidOperationException("after " + Steps);
        }

        Steps += 100;
        return what + " " + Steps;
    }

    private int Bumped()
    {
        Thread.Yield();
        Steps += 1000;
        return 1;
    }
}

/// <summary>A greenlet body running a <see cref="Tally"/> on its local, catching what it throws.</summary>
public sealed class TallyRuns(string throwAt)
{
    /// <summary>The steps <see cref="Tally"/> may throw at; "" throws nowhere.</summary>
    public static readonly string[] ThrowPoints = ["", "before", "after"];

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    public void Run()
    {
        var tally = new Tally(Log, throwAt);
        try
        {
            tally.Run(2);
        }
        catch (InvalidOperationException e)
        {
            Log.Add("caught " + e.Message + ", steps " + tally.Steps);
        }

        Result = tally.Steps;
        Log.Add("end " + tally.Steps);
    }
}

/// <summary>A step a generic struct runs through a constrained call.</summary>
public interface IStep
{
    /// <summary>Runs the step.</summary>
    void Step();
}

/// <summary>A step that yields.</summary>
public readonly struct YieldingStep(List<string> log) : IStep
{
    /// <inheritdoc />
    public void Step()
    {
        Thread.Yield();
        log.Add("step");
    }
}

/// <summary>
/// A generic struct: its <c>this</c> below a call's arguments is taken again as a non-generic one's; the constrained
/// call on its field (<c>ldarg.0; ldflda; constrained. T; callvirt</c>) no longer pins the method, but stays unlinked,
/// so the step's wait pins there.
/// </summary>
public struct Stepper<T>(T step, List<string> log) where T : struct, IStep
{
    private T _step = step;

    /// <summary>The rounds counted.</summary>
    public int Rounds { get; private set; }

    public void Run()
    {
        _step.Step();
        Rounds = Rounds + Round();
        log.Add("rounds " + Rounds);
    }

    private int Round()
    {
        Thread.Yield();
        Rounds += 5;
        return 1;
    }
}

/// <summary>A greenlet body running a <see cref="Stepper{T}"/> on its local.</summary>
public sealed class StepperRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    public void Run()
    {
        var stepper = new Stepper<YieldingStep>(new YieldingStep(Log), Log);
        stepper.Run();
        Log.Add("end " + stepper.Rounds);
    }
}
