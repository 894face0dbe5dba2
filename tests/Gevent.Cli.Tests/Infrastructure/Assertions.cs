namespace Gevent.Cli.Tests.Infrastructure;

/// <summary>Assertions on the tool's results.</summary>
internal static class Assertions
{
    /// <summary>The run failed for its input (exit 1) with a message containing <paramref name="message"/>, and <paramref name="path"/> is byte-identical to <paramref name="before"/>.</summary>
    public static void FailedUntouched(ProcessResult result, string message, string path, byte[] before)
    {
        Assert.True(result.ExitCode == 1, result.ToString());
        Assert.Contains(message, result.StandardError);
        Assert.Equal(before, File.ReadAllBytes(path));
    }

    /// <summary>Nothing in <paramref name="folder"/> is a leftover temporary file.</summary>
    public static void NoTemporaryFiles(string folder) =>
        Assert.Empty(Directory.EnumerateFiles(folder, "*gevent-tmp*", SearchOption.AllDirectories));
}
