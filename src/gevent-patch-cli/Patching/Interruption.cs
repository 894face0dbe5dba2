using System.Runtime.InteropServices;

namespace Gevent.Cli.Patching;

/// <summary>
/// Turns Ctrl-C and SIGTERM into a request to stop after the current file, so a run ends between
/// files; a hard kill mid-file is covered by the temporary-file-then-rename writes.
/// </summary>
internal sealed class Interruption : IDisposable
{
    private readonly PosixSignalRegistration[] registrations;
    private volatile bool requested;

    /// <summary>Starts listening.</summary>
    public Interruption() =>
        registrations = [PosixSignalRegistration.Create(PosixSignal.SIGINT, Request), PosixSignalRegistration.Create(PosixSignal.SIGTERM, Request)];

    /// <summary>Whether a stop was requested.</summary>
    public bool Requested => requested;

    /// <inheritdoc />
    public void Dispose()
    {
        foreach (var registration in registrations)
        {
            registration.Dispose();
        }
    }

    private void Request(PosixSignalContext context)
    {
        context.Cancel = true;
        requested = true;
    }
}
