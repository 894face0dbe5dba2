using System.Runtime.InteropServices;

namespace Gevent.Loop.Native;

/// <summary>
/// A descriptor the runtime opened and owns. A <see cref="SafeHandle"/> closes it once, when the last user that
/// took a reference (<see cref="SafeHandle.DangerousAddRef"/>) releases it, so a call racing the close never reaches
/// a number the kernel has given to another file meanwhile; its critical finalizer closes it if nobody disposes it.
/// </summary>
internal sealed class FileDescriptorHandle : SafeHandle
{
    public FileDescriptorHandle(int descriptor)
        : base(invalidHandleValue: -1, ownsHandle: true) => SetHandle(descriptor);

    public override bool IsInvalid => handle < 0;

    protected override bool ReleaseHandle() => Libc.close((int)handle) == 0;
}
