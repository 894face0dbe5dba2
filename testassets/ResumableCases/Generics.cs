namespace ResumableCases;

/// <summary>Something with a label: the interface constraint of <see cref="Generics.Labels{T}"/>.</summary>
public interface ILabelled
{
    /// <summary>The label.</summary>
    string Label { get; }
}

/// <summary>A reference type to instantiate the generic methods over.</summary>
public sealed class Tag(string name) : ILabelled
{
    /// <inheritdoc/>
    public string Label => "tag " + name;

    /// <inheritdoc/>
    public override string ToString() => Label;
}

/// <summary>A value type to instantiate the generic methods over.</summary>
public readonly struct Point(int x, int y) : ILabelled, IComparable<Point>
{
    /// <inheritdoc/>
    public string Label => $"point {x},{y}";

    /// <inheritdoc/>
    public int CompareTo(Point other) => (x + y).CompareTo(other.X + other.Y);

    /// <summary>The first coordinate.</summary>
    public int X => x;

    /// <summary>The second coordinate.</summary>
    public int Y => y;

    /// <inheritdoc/>
    public override string ToString() => Label;
}

/// <summary>A constructible class: the <c>class, new()</c> constraint of <see cref="Generics.Made{T}"/>.</summary>
public sealed class Blank
{
    /// <inheritdoc/>
    public override string ToString() => "blank";
}

/// <summary>Generic static methods whose waits the frames pass makes resumable: their frames are generic too.</summary>
public static class Generics
{
    /// <summary>Keeps a <typeparamref name="T"/> across a sleep and returns it.</summary>
    public static T Echo<T>(T value, List<string> log)
    {
        var kept = value;
        log.Add("echo " + kept);
        Thread.Sleep(0);
        log.Add("echoed " + kept);
        return kept;
    }

    /// <summary>Calls <see cref="Echo{T}"/> over its own <typeparamref name="T"/> (with a list below the call) and over <c>int</c>.</summary>
    public static List<T> Twice<T>(T value, int n, List<string> log)
    {
        var list = new List<T>();
        list.Add(Echo(value, log));
        var count = Echo(n, log);
        list.Add(Echo(value, log));
        log.Add("count " + count + ", " + list.Count);
        return list;
    }

    /// <summary>The largest item, yielding after each comparison (<c>struct</c> and interface constraints).</summary>
    public static T Largest<T>(T[] items, List<string> log)
        where T : struct, IComparable<T>
    {
        var best = items[0];
        for (var i = 1; i < items.Length; i++)
        {
            var item = items[i];
            Thread.Yield();
            if (item.CompareTo(best) > 0)
            {
                best = item;
            }

            log.Add("best " + best);
        }

        return best;
    }

    /// <summary>
    /// Keeps a <typeparamref name="T"/> across a yield (<c>class, new()</c> constraints). It takes the instance rather
    /// than make it: <c>new T()</c> compiles to <c>Activator.CreateInstance&lt;T&gt;()</c>, which the analysis takes for
    /// reflection (it runs a constructor no one can see), so that site would pin.
    /// </summary>
    public static T Made<T>(T made, List<string> log)
        where T : class, new()
    {
        Thread.Yield();
        log.Add("made " + made);
        return made;
    }

    /// <summary>Joins the labels, yielding between items (an interface constraint called through <c>constrained.</c>).</summary>
    public static string Labels<T>(T[] items, List<string> log)
        where T : ILabelled
    {
        var labels = new List<string>();
        foreach (var item in items)
        {
            Thread.Yield();
            labels.Add(item.Label);
            log.Add(item.Label);
        }

        return string.Join("; ", labels);
    }
}

/// <summary>A generic class whose methods, generic and not, suspend: their frames are generic over its parameter and theirs.</summary>
public sealed class Box<T>(T value)
{
    /// <summary>What the methods did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>The boxed value.</summary>
    public T Value { get; private set; } = value;

    /// <summary>Keeps the box's <typeparamref name="T"/> and a <typeparamref name="TOther"/> across suspensions of its own and of <see cref="Swap{TOther}"/>.</summary>
    public KeyValuePair<T, TOther> Pair<TOther>(TOther other)
    {
        var first = Value;
        Thread.Yield();
        Log.Add("pair " + first + " " + other);
        var second = Swap(other);
        Log.Add("paired " + first + " " + second);
        return new KeyValuePair<T, TOther>(first, second);
    }

    /// <summary>Sleeps, then replaces the value, returning <paramref name="other"/>.</summary>
    public TOther Swap<TOther>(TOther other)
    {
        var old = Value;
        Thread.Sleep(0);
        Value = Echo(old);
        Log.Add("swap " + old + " for " + other);
        return other;
    }

    /// <summary>Keeps a <typeparamref name="T"/> across a sleep: a method of a generic type, not generic itself.</summary>
    public T Echo(T item)
    {
        Thread.Sleep(0);
        Log.Add("box echo " + item);
        return item;
    }

}

/// <summary>A greenlet body (a parameterless instance method) running the generic methods over reference and value types.</summary>
public sealed class GenericRuns
{
    /// <summary>What the methods did and returned, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>Runs every generic method of <see cref="Generics"/> and <see cref="Box{T}"/>, logging their results.</summary>
    public void Run()
    {
        Log.Add(string.Join(",", Generics.Twice(new Tag("a"), 2, Log)));
        Log.Add(string.Join(",", Generics.Twice(new Point(1, 2), 3, Log)));
        Log.Add("largest " + Generics.Largest(new[] { new Point(1, 1), new Point(3, 0), new Point(0, 2) }, Log));
        Log.Add("largest " + Generics.Largest(new[] { 3, 9, 4 }, Log));
        Log.Add("made " + Generics.Made(new Blank(), Log));
        Log.Add(Generics.Labels(new[] { new Tag("x"), new Tag("y") }, Log));
        Log.Add(Generics.Labels(new[] { new Point(5, 6) }, Log));
        var numbers = new Box<int>(7);
        Log.Add(numbers.Pair("seven").ToString());
        Log.Add(numbers.Pair(new Point(7, 7)).ToString());
        var tags = new Box<Tag>(new Tag("boxed"));
        Log.Add(tags.Pair(8).ToString());
        Log.Add(tags.Pair(new Tag("other")).ToString());
        Log.AddRange(numbers.Log);
        Log.AddRange(tags.Log);
    }
}

/// <summary>A greenlet body on a generic type: echoes its <typeparamref name="T"/> across a sleep.</summary>
public sealed class Echoes<T>(T value)
{
    /// <summary>What <see cref="Generics.Echo{T}"/> logged.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What the echo returned.</summary>
    public T? Result { get; private set; }

    /// <summary>Echoes the value.</summary>
    public void Run() => Result = Generics.Echo(value, Log);
}
