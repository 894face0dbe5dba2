namespace ResumableCases;

/// <summary>A shape whose area is computed with a wait; every override in this assembly yields.</summary>
public abstract class Shape(List<string> log)
{
    /// <summary>Where the shapes log what they did.</summary>
    public List<string> Log => log;

    /// <summary>The area, after a wait.</summary>
    public abstract int Area();
}

/// <summary>A square: yields, then logs and returns its area.</summary>
public sealed class Square(List<string> log, int side) : Shape(log)
{
    /// <inheritdoc />
    public override int Area()
    {
        Thread.Yield();
        Log.Add("square " + side);
        return side * side;
    }
}

/// <summary>A rectangle: yields twice; <see cref="Tile"/> inherits its <see cref="Area"/>.</summary>
public class Rectangle(List<string> log, int width, int height) : Shape(log)
{
    /// <inheritdoc />
    public override int Area()
    {
        Thread.Yield();
        Log.Add("width " + width);
        Thread.Yield();
        Log.Add("height " + height);
        return width * height;
    }
}

/// <summary>A rectangle that overrides nothing: a call of its area runs <see cref="Rectangle.Area"/>.</summary>
public sealed class Tile(List<string> log) : Rectangle(log, 1, 1);

/// <summary>A source of numbers that waits for each.</summary>
public interface INumbers
{
    /// <summary>The next number, after a wait.</summary>
    int Next();
}

/// <summary>Counts up, yielding before each number.</summary>
public sealed class Counting(List<string> log) : INumbers
{
    private int _last;

    /// <inheritdoc />
    public int Next()
    {
        Thread.Yield();
        log.Add("counted " + (_last + 1));
        return ++_last;
    }
}

/// <summary>Doubles, yielding before each number.</summary>
public sealed class Doubling(List<string> log) : INumbers
{
    private int _last = 1;

    /// <inheritdoc />
    public int Next()
    {
        Thread.Yield();
        _last *= 2;
        log.Add("doubled " + _last);
        return _last;
    }
}

/// <summary>
/// Virtual and interface calls whose every override in the set is rewritten: the sum of the shapes' areas and of two
/// numbers from each source, each call linked (at run time, where the receiver's override is resumable).
/// </summary>
public sealed class VirtualRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>The shapes summed; a test may put in one from outside this assembly.</summary>
    public List<Shape> Shapes { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    public VirtualRuns()
    {
        Shapes.AddRange([new Square(Log, 3), new Rectangle(Log, 2, 5), new Tile(Log)]);
    }

    public void Run()
    {
        var total = 0;
        for (var i = 0; i < Shapes.Count; i++)
        {
            total += Shapes[i].Area();
            Log.Add("total " + total);
        }

        INumbers[] sources = [new Counting(Log), new Doubling(Log)];
        for (var i = 0; i < sources.Length; i++)
        {
            total += sources[i].Next() * 100 + sources[i].Next();
        }

        Result = total;
        Log.Add("end " + total);
    }
}
