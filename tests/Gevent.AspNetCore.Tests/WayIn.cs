namespace Gevent.AspNetCore.Tests;

/// <summary>How a test app turns Gevent on.</summary>
public enum WayIn
{
    /// <summary><c>builder.WebHost.UseGevent()</c>: Kestrel's server is wrapped.</summary>
    UseGevent,

    /// <summary>The assembly named as a hosting startup: a first middleware moves each request onto a greenlet.</summary>
    HostingStartup,
}
