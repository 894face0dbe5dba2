namespace Gevent;

/// <summary>When a link fires: on any end, only on success, or only on failure.</summary>
internal enum LinkKind
{
    Always,
    Value,
    Exception,
}
