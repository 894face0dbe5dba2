using System.Runtime.InteropServices;

namespace Gevent.Cli.Patching;

/// <summary>
/// Turns Ctrl-C and SIGTERM into a request to stop after the current file, so a run ends between
/// files; a hard kill mid-file is covered by the temporary-file-then-rename writes.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly PosixSignalRegistration[] _registrations;
    private volatile bool _requested;

    /// <summary>Starts listening.</summary>
    public Interruption() =>
        _registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Request), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Request)];

    /// <summary>Whether a stop was requested.</summary>
    public bool Requested => _requested;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in _registrations)
        {
            registration.Dispose();
        }
    }

    private void Request(PosixSignalContext context)
    {
        context.Cancel = true;
        _requested = true;
    }
}
