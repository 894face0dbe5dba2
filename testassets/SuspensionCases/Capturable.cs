namespace SuspensionCases;

/// <summary>Paths to a blocking call whose frames can all be captured.</summary>
public static class Capturable
{
    /// <summary>A → B → Sleep.</summary>
    public static void Outer() => Inner();

    /// <summary>Never reaches a blocking call.</summary>
    public static int NeverBlocks(int value) => value + 1;

    /// <summary>Blocks in a library woven with this assembly.</summary>
    public static void CallsLibrary() => NappingLibrary.Napper.Nap(1);

    /// <summary>Through a virtual call resolved to its overrides.</summary>
    public static void Virtual(Shape shape) => shape.Draw();

    /// <summary>Through an interface call resolved to its implementations.</summary>
    public static void Interface(IWorker worker) => worker.Work();

    /// <summary>Hands out a delegate over a blocking lambda.</summary>
    public static Action MakeDelegate() => () => Thread.Sleep(1);

    /// <summary>Invokes a delegate, which may be that lambda.</summary>
    public static void InvokeDelegate(Action action) => action();

    /// <summary>A generic method that blocks.</summary>
    public static T Generic<T>(T value)
    {
        Thread.Sleep(1);
        return value;
    }

    /// <summary>The generic method over a reference type.</summary>
    public static string GenericOverReference() => Generic("x");

    /// <summary>The generic method over a value type.</summary>
    public static int GenericOverValue() => Generic(1);

    /// <summary>Blocks inside a try block (not in its handler).</summary>
    public static void InTry()
    {
        try
        {
            Thread.Sleep(1);
        }
        catch (InvalidOperationException)
        {
            Console.WriteLine("caught");
        }
    }

    private static void Inner() => Thread.Sleep(1);
}

/// <summary>A base with a virtual that one override blocks in.</summary>
public abstract class Shape
{
    /// <summary>Draws.</summary>
    public abstract void Draw();
}

/// <summary>The blocking override.</summary>
public sealed class SlowShape : Shape
{
    /// <inheritdoc />
    public override void Draw() => Thread.Sleep(1);
}

/// <summary>An interface that one implementation blocks in.</summary>
public interface IWorker
{
    /// <summary>Works.</summary>
    void Work();
}

/// <summary>The blocking implementation.</summary>
public sealed class SlowWorker : IWorker
{
    /// <inheritdoc />
    public void Work() => Thread.Sleep(1);
}
