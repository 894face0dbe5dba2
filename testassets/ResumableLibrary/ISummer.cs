namespace ResumableLibrary;

/// <summary>Sums slowly behind an interface: one implementation pins (<see cref="LockedSummer"/>), so the weaver cannot link a consumer's call through it.</summary>
public interface ISummer
{
    /// <summary>0 + 1 + … + (<paramref name="count"/> - 1).</summary>
    long Sum(int count);
}
