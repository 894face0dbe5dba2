namespace AssemblyToProcess;

/// <summary>
/// Method bodies with the shapes code insertion must respect — branch targets, a switch, try/catch,
/// filter and finally regions, prefixes, a generic method over value types, an async state machine,
/// a throw at a known line.
/// The editor's tests insert calls to <see cref="Probe"/> into them and run them.
/// </summary>
public static class Editing
{
    private static volatile int s_flag;

    /// <summary>The sum of the weights of the probes that ran.</summary>
    public static int Probes { get; set; }

    /// <summary>When set, each probe throws <see cref="ProbeException"/> after counting.</summary>
    public static bool ProbesThrow { get; set; }

    /// <summary>What the tests' inserted code calls.</summary>
    public static void Probe(int weight)
    {
        Probes += weight;
        if (ProbesThrow)
        {
            throw new ProbeException();
        }
    }

    public static int SumBelow(int n)
    {
        var sum = 0;
        for (var i = 0; i < n; i++)
        {
            sum += i;
        }

        return sum;
    }

    public static string Name(int x) => x switch
    {
        0 => "zero",
        1 => "one",
        2 => "two",
        3 => "three",
        _ => "many",
    };

    public static int Halve(int x)
    {
        try
        {
            if (x % 2 != 0)
            {
                throw new ArgumentException("odd", nameof(x));
            }

            return x / 2;
        }
        catch (Exception)
        {
            return -1;
        }
    }

    public static int Classify(int x)
    {
        var result = 0;
        try
        {
            try
            {
                if (x < 0)
                {
                    throw new InvalidOperationException(x.ToString());
                }

                result = x;
            }
            catch (InvalidOperationException e) when (e.Message == "-1")
            {
                result = 100;
            }
        }
        finally
        {
            s_flag++;
        }

        return result;
    }

    public static string Describe<T>(T value) => value!.ToString()!;

    public static int VolatileRoundTrip(int value)
    {
        s_flag = value;
        return s_flag;
    }

    public static async Task<int> DoubleLaterAsync(int x)
    {
        await Task.Yield();
        return x * 2;
    }

    public static void Fail(int x)
    {
        if (x > 0)
        {
            throw new InvalidOperationException("positive");
        }
    }

    /// <summary>Thrown by a probe when <see cref="ProbesThrow"/> is set.</summary>
    public sealed class ProbeException : Exception;
}
