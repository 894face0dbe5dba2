namespace Gevent.Cli.Output;

/// <summary>
/// A one-line progress bar on standard error, drawn only when it is a terminal (a log or a pipe
/// gets the summary alone) and cleared when disposed.
/// </summary>
internal sealed class ProgressBar : IDisposable
{
    private const int Width = 30;
    private readonly int _total;
    private readonly bool _enabled;
    private int _done;

    /// <summary>A bar for <paramref name="total"/> steps; silent unless <paramref name="wanted"/> and standard error is a terminal.</summary>
    public ProgressBar(int total, bool wanted)
    {
        _total = total;
        _enabled = wanted && total > 1 && !Console.IsErrorRedirected;
    }

    /// <summary>Marks one more step done, naming the next item.</summary>
    public void Step(string item)
    {
        _done++;
        if (_enabled)
        {
            var filled = _done * Width / _total;
            var label = item.Length > 40 ? "..." + item[^37..] : item;
            Console.Error.Write($"\r[{new string('#', filled)}{new string('.', Width - filled)}] {_done}/{_total} {label,-40}");
        }
    }

    /// <inheritdoc />
    public void Dispose()
    {
        if (_enabled)
        {
            Console.Error.Write("\r" + new string(' ', Width + 55) + "\r");
        }
    }
}
