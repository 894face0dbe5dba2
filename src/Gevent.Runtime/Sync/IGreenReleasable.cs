namespace Gevent;

/// <summary>A primitive whose hold a <see cref="GreenLockScope"/> gives back.</summary>
internal interface IGreenReleasable
{
    void Release();
}
