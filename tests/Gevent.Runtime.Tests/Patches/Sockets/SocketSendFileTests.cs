using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

public sealed class SocketSendFileTests : IDisposable
{
    private readonly string _path = Path.GetTempFileName();
    private readonly byte[] _content = new byte[3 * 1024 * 1024 + 17];

    public SocketSendFileTests()
    {
        new Random(7).NextBytes(_content);
        File.WriteAllBytes(_path, _content);
    }

    public void Dispose() => File.Delete(_path);

    [Fact]
    public void OutsideAGreenletSendFileIsTheOriginalWithItsExceptions()
    {
        using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        Parity.SameException(() => unconnected.SendFile(_path), () => SocketPatches.SendFile(unconnected, _path));
        var (left, right) = SocketKit.TcpPair();
        using (right)
        {
            Parity.SameException(() => left.SendFile("/nonexistent/file"), () => SocketPatches.SendFile(left, "/nonexistent/file"));
            left.Dispose();
            Parity.SameException(() => left.SendFile(_path), () => SocketPatches.SendFile(left, _path));
        }
    }

    [Fact]
    public void InAGreenletSendFileSendsPreFileAndPostWhileTheReaderRunsAndChecksAsTheBcl()
    {
        HubTest.Run(() =>
        {
            using var unconnected = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Parity.SameException(() => unconnected.SendFile(_path), () => SocketPatches.SendFile(unconnected, _path));
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                Parity.SameException(() => left.SendFile("/nonexistent/file"), () => SocketPatches.SendFile(left, "/nonexistent/file"));
                left.SendBufferSize = 16 * 1024;
                right.ReceiveBufferSize = 16 * 1024;
                byte[] pre = [1, 2, 3];
                byte[] post = [9, 8];
                var expected = pre.Concat(_content).Concat(post).Concat(_content).ToArray();
                var received = new MemoryStream();
                var reader = Greenlet.Spawn(() =>
                {
                    var buffer = new byte[64 * 1024];
                    int n;
                    while ((n = SocketPatches.Receive(right, buffer)) > 0)
                    {
                        received.Write(buffer, 0, n);
                    }
                });

                // A blocking sendfile would fill the socket buffers with the reader unable to run.
                SocketPatches.SendFile(left, _path, pre, post, TransmitFileOptions.UseDefaultWorkerThread);
                SocketPatches.SendFile(left, _path);
                left.Shutdown(SocketShutdown.Send);
                Assert.True(reader.Join(SocketKit.Generous));
                Assert.True(expected.AsSpan().SequenceEqual(received.ToArray()));
            }
        }, timeoutSeconds: 30);
    }
}
