using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

/// <summary>A socket a greenlet writes to while an OS thread reads it, as SSH.NET's reader thread does.</summary>
public class ThreadSharedSocketTests
{
    private const int Messages = 100_000;

    [Fact]
    public void AThreadsBlockingReceiveNeverSeesTheGreenletsNonBlockingTry()
    {
        var (left, right) = SocketKit.TcpPair();
        using (left)
        using (right)
        {
            Exception? readerFailure = null;
            var received = 0;
            // Off a greenlet the replacement calls the blocking original: it must wait, never fail with WouldBlock.
            var reader = new Thread(() =>
            {
                try
                {
                    var buffer = new byte[1];
                    while (received < Messages && SocketPatches.Receive(left, buffer) == 1)
                    {
                        received++;
                    }
                }
                catch (Exception e)
                {
                    readerFailure = e;
                }
            });
            var feeder = new Thread(() =>
            {
                for (var i = 0; i < Messages; i++)
                {
                    right.Send([1]);
                }
            });
            var drain = new Thread(() =>
            {
                var buffer = new byte[4096];
                var total = 0;
                while (total < Messages)
                {
                    total += right.Receive(buffer);
                }
            });
            reader.Start();
            feeder.Start();
            drain.Start();

            HubTest.Run(() =>
            {
                for (var i = 0; i < Messages; i++)
                {
                    SocketPatches.Send(left, [1]);
                }
            });

            Assert.True(reader.Join(TimeSpan.FromSeconds(30)) && feeder.Join(TimeSpan.FromSeconds(30)) && drain.Join(TimeSpan.FromSeconds(30)), "a thread did not finish");
            Assert.Null(readerFailure);
            Assert.Equal(Messages, received);
        }
    }
}
