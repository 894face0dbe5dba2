namespace ResumableLibrary;

/// <summary>The <see cref="ISummer"/> that yields after each term (<see cref="Pacer.SumSlowly"/>).</summary>
public sealed class SlowSummer : ISummer
{
    /// <inheritdoc />
    public long Sum(int count) => Pacer.SumSlowly(count);
}
