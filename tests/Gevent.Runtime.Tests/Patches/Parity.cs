namespace Gevent.Tests.Patches;

/// <summary>Side-by-side checks that a replacement does what the BCL original does.</summary>
internal static class Parity
{
    /// <summary>Runs <paramref name="check"/> as a hub's main greenlet, or on this plain thread.</summary>
    public static void Run(bool inGreenlet, Action check)
    {
        if (inGreenlet)
        {
            HubTest.Run(check);
        }
        else
        {
            check();
        }
    }

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
