namespace ResumableLibrary;

/// <summary>Sums slowly behind an interface: a consumer's call through it is virtual, so the weaver cannot link it.</summary>
public interface ISummer
{
    /// <summary>0 + 1 + … + (<paramref name="count"/> - 1).</summary>
    long Sum(int count);
}
