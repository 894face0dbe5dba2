namespace NappingLibrary;

/// <summary>Plain blocking code, as a library that never heard of greenlets would write it.</summary>
public static class Napper
{
    /// <summary>Blocks the calling thread for <paramref name="milliseconds"/>.</summary>
    public static void Nap(int milliseconds) => Thread.Sleep(milliseconds);
}
