using Gevent.PinReport;

/// <summary>
/// The entry the runtime calls before the app's <c>Main</c> when this assembly is named in
/// <c>DOTNET_STARTUP_HOOKS</c>: starts a <see cref="ParkRecorder"/> if <c>GEVENT_PIN_REPORT</c> names a file.
/// </summary>
internal static class StartupHook
{
    /// <summary>Called by the runtime; the name and signature are the startup hook contract.</summary>
    public static void Initialize()
    {
        if (Environment.GetEnvironmentVariable(ParkRecorder.ReportVariable) is { Length: > 0 } path)
        {
            ParkRecorder.Start(path);
        }
    }
}
