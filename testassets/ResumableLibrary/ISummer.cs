namespace ResumableLibrary;

/// <summary>Sums slowly behind an interface: one implementation pins (<see cref="LockedSummer"/>): a consumer's call through it is linked, and left unlinked at run time where the receiver is that one.</summary>
public interface ISummer
{
    /// <summary>0 + 1 + … + (<paramref name="count"/> - 1).</summary>
    long Sum(int count);
}
