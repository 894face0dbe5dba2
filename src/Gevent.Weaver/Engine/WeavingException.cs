using System;

namespace Gevent.Weaver;

/// <summary>An input the engine refuses, with a message meant for the user.</summary>
public sealed class WeavingException : Exception
{
    /// <summary>Creates the exception with a message for the user.</summary>
    public WeavingException(string message)
        : base(message)
    {
    }

    /// <summary>Creates the exception with a message for the user and the failure that caused it.</summary>
    public WeavingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
