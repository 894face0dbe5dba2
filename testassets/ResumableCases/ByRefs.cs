namespace ResumableCases;

/// <summary>
/// <c>out</c> and <c>ref</c> arguments that are the caller's own local (or a field of one): the callee writes through
/// them before, between and after its waits, passes them on to another waiting method, and a struct's method passes a
/// field of its <c>this</c>. Each is taken again on resume, so every write reaches the caller as in the original.
/// </summary>
public sealed class ByRefRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public long Result { get; private set; }

    public void Run()
    {
        Log.Add("took " + Take(3, out var taken) + " " + taken);
        string? name = null;
        Forward(ref name);
        Log.Add("name " + name);
        var pair = new Pair(1, 2);
        Swap(ref pair.Left, ref pair.Right);
        Log.Add("pair " + pair.Left + " " + pair.Right);
        var tally = new OutTally();
        tally.Fill(Log);
        Result = taken + (pair.Left * 10) + (tally.Total * 100);
    }

    /// <summary>Writes its <c>out</c> argument in a loop around a yield, as Npgsql's pool's <c>TryGetIdleConnector</c> does.</summary>
    private bool Take(int rounds, out int taken)
    {
        taken = 0;
        for (var i = 1; i <= rounds; i++)
        {
            Thread.Yield();
            taken += i;
            Log.Add("taken " + taken);
        }

        return taken > 0;
    }

    /// <summary>Writes a reference through its <c>ref</c>, yields, then passes the <c>ref</c> on.</summary>
    private void Forward(ref string? name)
    {
        name = "first";
        Thread.Yield();
        Rename(ref name);
    }

    private void Rename(ref string? name)
    {
        Log.Add("renaming " + name);
        Thread.Yield();
        name += " second";
    }

    private static void Swap<T>(ref T a, ref T b)
    {
        Thread.Yield();
        (a, b) = (b, a);
    }
}

/// <summary>Two numbers in public fields, whose addresses a caller passes.</summary>
public struct Pair(int left, int right)
{
    /// <summary>The first number.</summary>
    public int Left = left;

    /// <summary>The second number.</summary>
    public int Right = right;
}

/// <summary>A struct whose method passes a field of its <c>this</c> as an <c>out</c> argument to a method that waits.</summary>
public struct OutTally
{
    /// <summary>What <see cref="Fill"/> counted.</summary>
    public int Total;

    public void Fill(List<string> log)
    {
        Count(3, out Total);
        log.Add("tally " + Total);
    }

    private static void Count(int step, out int total)
    {
        total = 0;
        for (var i = 0; i < 3; i++)
        {
            Thread.Yield();
            total += step;
        }
    }
}

/// <summary>
/// <c>ref</c> arguments that are not the caller's own local: a field of an object and an array element, which no frame
/// of the caller saves, so the calls pin (<c>ByRef</c>); the callee, rewritten, runs unlinked under them.
/// </summary>
public sealed class HeldByRefRuns
{
    private readonly int[] _cells = new int[1];
    private int _field;

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    public void Run()
    {
        Bump(ref _field);
        Bump(ref _cells[0]);
        Log.Add("held " + _field + " " + _cells[0]);
    }

    private void Bump(ref int value)
    {
        value++;
        Thread.Yield();
        value += 10;
        Log.Add("bumped " + value);
    }
}

/// <summary>A callee that points its <c>ref</c> parameter elsewhere (<c>starg</c>): a resume could not pass it again, so it pins.</summary>
public sealed class RepointRuns
{
    private static int s_spare;

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    public void Run()
    {
        var n = 1;
        Repoint(ref n);
        Log.Add("repointed " + n + " " + s_spare);
    }

    private void Repoint(ref int value)
    {
        value++;
        value = ref s_spare;
        Thread.Yield();
        value++;
        Log.Add("value " + value);
    }
}
