namespace ResumableCases;

/// <summary>
/// A value type overriding <c>GetHashCode</c> with a yield: a call on a local is <c>constrained.</c> to it. (Not
/// <c>ToString</c>: the other cases' generic string concatenations would then call a <c>ToString</c> that waits.)
/// </summary>
public struct Fingerprint(List<string> log, int n)
{
    /// <summary>How many times it was taken: written through <c>this</c>, across the yield.</summary>
    public int Takes { get; private set; }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        Takes++;
        Thread.Yield();
        log.Add("taken " + Takes);
        return 10 * n + Takes;
    }
}

/// <summary>A generic value type overriding <c>GetHashCode</c> with a yield.</summary>
public struct Wrapped<T>(T value, List<string> log)
{
    /// <summary>How many times the hash was taken.</summary>
    public int Hashes { get; private set; }

    /// <inheritdoc />
    public override int GetHashCode()
    {
        Hashes++;
        Thread.Yield();
        log.Add("hash of " + value);
        return 7 * Hashes;
    }
}

/// <summary>A value type without a <c>GetHashCode</c> of its own: a call of it boxes and runs <c>ValueType.GetHashCode</c>.</summary>
public readonly struct Bare(int n)
{
    /// <summary>The number it holds.</summary>
    public int N => n;
}

/// <summary>
/// <c>constrained.</c> calls on concrete value types: a struct's own <c>GetHashCode</c> and a generic struct's
/// <c>GetHashCode</c>, which wait (linked as plain calls of them), and a <c>foreach</c> over a list, whose enumerator's
/// <c>Dispose</c> (<c>constrained. List&lt;T&gt;.Enumerator</c>, in a finally) never waits and is no site.
/// </summary>
public sealed class ConstrainedRuns
{
    private readonly List<string> _items = ["a", "b"];

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    public void Run()
    {
        var fingerprint = new Fingerprint(Log, 3);
        Log.Add("first " + fingerprint.GetHashCode());
        Log.Add("second " + fingerprint.GetHashCode());
        Result = Hashed(5) + fingerprint.Takes;
        foreach (var item in _items)
        {
            Thread.Yield();
            Log.Add("item " + item);
        }

        Log.Add("end " + Result);
    }

    private int Hashed<T>(T value)
    {
        var wrapped = new Wrapped<T>(value, Log);
        var hash = wrapped.GetHashCode();
        return hash + wrapped.Hashes;
    }
}

/// <summary>
/// A <c>constrained.</c> call on a value type that does not implement the member itself (<see cref="Bare"/>'s
/// <c>GetHashCode</c>): it may run any <c>GetHashCode</c> of the set, as before, so its receiver's address pins (<c>ByRef</c>).
/// </summary>
public sealed class BareRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    public void Run()
    {
        Thread.Yield();
        var bare = new Bare(4);
        Log.Add("bare " + (bare.GetHashCode() == new Bare(4).GetHashCode()) + " " + bare.N);
    }
}
