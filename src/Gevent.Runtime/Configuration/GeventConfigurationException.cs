namespace Gevent;

/// <summary>A <c>GEVENT_*</c> setting has a value the runtime cannot use.</summary>
public sealed class GeventConfigurationException : Exception
{
    /// <summary>Creates the exception for <paramref name="variable"/>.</summary>
    public GeventConfigurationException(string variable, string message)
        : base($"{variable}: {message}")
    {
        Variable = variable;
    }

    /// <summary>The environment variable (or setting) at fault, e.g. <c>GEVENT_LOOP</c>.</summary>
    public string Variable { get; }
}
