namespace Gevent.Tests.Patches;

/// <summary>Side-by-side checks that a replacement does what the BCL original does.</summary>
internal static class Parity
{
    /// <summary>Both throw, and the same exception type.</summary>
    public static void SameException(Action original, Action replacement)
    {
        var expected = Record.Exception(original);
        var actual = Record.Exception(replacement);
        Assert.NotNull(expected);
        Assert.NotNull(actual);
        Assert.Equal(expected!.GetType(), actual!.GetType());
    }

    /// <summary>Both return equal values, or both throw the same exception type.</summary>
    public static void SameOutcome<T>(Func<T> original, Func<T> replacement)
    {
        T? expected = default, actual = default;
        var expectedError = Record.Exception(() => expected = original());
        var actualError = Record.Exception(() => actual = replacement());
        Assert.Equal(expectedError?.GetType(), actualError?.GetType());
        Assert.Equal(expected, actual);
    }
}
