namespace ResumableCases;

/// <summary>
/// <c>Interlocked</c>'s generic members over a type of the set, on an array element and a field, next to waits, as
/// Npgsql's pool's <c>CloseConnector</c> does: they only swap a reference and never run the type's code, so they are
/// no sites and the methods around them are rewritten.
/// </summary>
public sealed class ExchangeRuns
{
    private readonly Slot?[] _slots = [new Slot(1), new Slot(2)];
    private Slot? _last;

    /// <summary>What the body did, in order.</summary>
    public List<string> Log { get; } = new();

    /// <summary>What <see cref="Run"/> computed.</summary>
    public long Result { get; private set; }

    public void Run()
    {
        var closed = 0;
        for (var i = 0; i < _slots.Length; i++)
        {
            Close(i);
            closed += _slots[i] is null ? 1 : 0;
        }

        Result = _last!.Number + (closed * 10);
    }

    /// <summary>Empties slot <paramref name="index"/> with a compare-exchange on the array element, waits, and keeps the slot it took.</summary>
    private void Close(int index)
    {
        var slot = _slots[index]!;
        if (Interlocked.CompareExchange(ref _slots[index], null, slot) == slot)
        {
            Thread.Yield();
            var previous = Interlocked.Exchange(ref _last, slot);
            Log.Add("closed " + slot.Number + " after " + (previous?.Number ?? 0));
        }
    }
}

/// <summary>A type of the set whose methods a generic callee could run, were it not <c>Interlocked</c>.</summary>
public sealed class Slot(int number) : IServiceProvider
{
    /// <summary>Which slot it is.</summary>
    public int Number { get; } = number;

    /// <summary>Yields, so the type has a suspendable method outside code may enter (an interface member no other case calls).</summary>
    public object? GetService(Type serviceType)
    {
        Thread.Yield();
        return null;
    }
}
