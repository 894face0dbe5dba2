namespace Gevent.Loop;

/// <summary>Readiness a socket can be watched for.</summary>
[Flags]
internal enum IoEvents
{
    None = 0,
    Read = 1,
    Write = 2,
}
