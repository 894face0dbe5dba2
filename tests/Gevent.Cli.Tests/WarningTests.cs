using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>Warnings that mean something: a <c>constrained.</c> call warns only where its receiver could be a patched type.</summary>
public sealed class WarningTests
{
    [Fact]
    public void Struct_enumerators_of_a_real_driver_are_no_warnings_and_a_generic_disposable_still_is()
    {
        // Npgsql 9.0.3 gave 101 "constrained." warnings, all struct receivers (List<T>.Enumerator, its own scopes).
        var npgsql = Path.Combine(AppContext.BaseDirectory, "Npgsql.dll");
        var self = typeof(ConstrainedReceivers).Assembly.Location;

        var result = Processes.Tool("scan", npgsql, self);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("Npgsql: ", result.StandardOutput);
        Assert.DoesNotContain(result.StandardError.Split('\n'), l => l.Contains("Npgsql.dll: still blocks") && l.Contains("constrained."));
        Assert.Contains(result.StandardError.Split('\n'), l => l.Contains("ConstrainedReceivers.DisposeAny+") && l.Contains("constrained."));
        Assert.DoesNotContain("ConstrainedReceivers.SumAll+", result.Output);
    }

    /// <summary>Scanned by the test above, never called.</summary>
    private static class ConstrainedReceivers
    {
        /// <summary><c>using</c> on a T that could be a socket or a stream: a genuine warning.</summary>
        public static void DisposeAny<T>(T disposable)
            where T : IDisposable
        {
            using (disposable)
            {
            }
        }

        /// <summary>A <c>foreach</c> over <c>List&lt;int&gt;.Enumerator</c>: no warning.</summary>
        public static int SumAll(List<int> values)
        {
            var sum = 0;
            foreach (var value in values)
            {
                sum += value;
            }

            return sum;
        }
    }
}
