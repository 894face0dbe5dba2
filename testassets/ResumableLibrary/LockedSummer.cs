namespace ResumableLibrary;

/// <summary>An <see cref="ISummer"/> that sums holding a lock: its wait pins, so it is not rewritten, and a call through the interface is not linked.</summary>
public sealed class LockedSummer : ISummer
{
    private readonly object _gate = new();

    /// <inheritdoc />
    public long Sum(int count)
    {
        lock (_gate)
        {
            return Pacer.SumSlowly(count);
        }
    }
}
