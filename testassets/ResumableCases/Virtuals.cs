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

/// <summary>A gauge read after a wait; its two kinds below are related only through it.</summary>
public abstract class Gauge(List<string> log)
{
    /// <summary>Where the gauges log what they did.</summary>
    public List<string> Log => log;

    /// <summary>The reading, after a wait.</summary>
    public abstract int Read();
}

/// <summary>Yields, then reads: rewritten.</summary>
public sealed class CalmGauge(List<string> log) : Gauge(log)
{
    /// <inheritdoc />
    public override int Read()
    {
        Thread.Yield();
        Log.Add("calm read");
        return 7;
    }
}

/// <summary>Yields holding a lock, which pins (<c>MonitorHeld</c>): not rewritten, so a call that may run it is not linked.</summary>
public sealed class LockedGauge(List<string> log) : Gauge(log)
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public override int Read()
    {
        lock (_gate)
        {
            Thread.Yield();
            Log.Add("locked read");
        }

        return 8;
    }
}

/// <summary>
/// Reads a <see cref="CalmGauge"/> held as one: the calls name <see cref="Gauge.Read"/>, but the receiver's static type
/// admits only <see cref="CalmGauge"/>'s override, so they are linked although <see cref="LockedGauge"/>'s is not rewritten;
/// and a <see cref="Tile"/>'s area, which it inherits from <see cref="Rectangle"/>, one override it admits.
/// </summary>
public sealed class NarrowedRuns
{
    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public int Result { get; private set; }

    public void Run()
    {
        var gauge = new CalmGauge(Log);
        Result = gauge.Read() * 10 + gauge.Read() + new Tile(Log).Area() * 100;
        Log.Add("end " + Result);
    }

    /// <summary>Reads a locked gauge, so that its override is called in this assembly.</summary>
    public int ReadLocked() => new LockedGauge(Log).Read();
}
