namespace Gevent.Loop;

/// <summary>The part of the loop that asks the OS which sockets are ready: epoll, or portable select.</summary>
internal abstract class PollBackend : IDisposable
{
    /// <summary>Name as accepted by <c>GEVENT_LOOP</c>.</summary>
    public abstract string Name { get; }

    /// <summary>Makes the kernel watch <paramref name="registration"/> for its current <see cref="IoRegistration.Interest"/>.</summary>
    public abstract void Update(IoRegistration registration);

    /// <summary>Forgets a registration whose watchers have all stopped (its socket may already be closed).</summary>
    public abstract void Remove(IoRegistration registration);

    /// <summary>
    /// Waits up to <paramref name="timeoutMs"/> (-1 = no limit, 0 = just look) for readiness or a
    /// <see cref="Wake"/>, and adds what is ready to <paramref name="ready"/> by registration slot.
    /// </summary>
    public abstract void Poll(int timeoutMs, List<(int Slot, IoEvents Events)> ready);

    /// <summary>
    /// Interrupts a <see cref="Poll"/> in progress, or the next one. Any thread may call it, even racing or after
    /// <see cref="Dispose"/>: then it does nothing, and never touches a descriptor number that may have been reused.
    /// </summary>
    public abstract void Wake();

    public abstract void Dispose();
}
