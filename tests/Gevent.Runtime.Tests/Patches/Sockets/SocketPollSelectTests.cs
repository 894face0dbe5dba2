using System.Collections;
using System.Diagnostics;
using System.Net.Sockets;
using Gevent.Patches;

namespace Gevent.Tests.Patches.Sockets;

public class SocketPollSelectTests
{
    [Fact]
    public void OutsideAGreenletPollAndSelectAnswerAsTheBcl()
    {
        var (left, right) = SocketKit.TcpPair();
        using (left)
        using (right)
        {
            right.Send(new byte[] { 1 });
            Assert.Equal(left.Poll(1_000_000, SelectMode.SelectRead), SocketPatches.Poll(left, 1_000_000, SelectMode.SelectRead));
            Assert.Equal(right.Poll(0, SelectMode.SelectRead), SocketPatches.Poll(right, TimeSpan.Zero, SelectMode.SelectRead));
            var bclRead = new ArrayList { left, right };
            var greenRead = new ArrayList { left, right };
            Socket.Select(bclRead, null, null, 1000);
            SocketPatches.Select(greenRead, null, null, 1000);
            Assert.Equal(bclRead, greenRead);
            Parity.SameException(() => Socket.Select(null, null, null, 0), () => SocketPatches.Select(null, null, null, 0));
            Parity.SameException(() => left.Poll(TimeSpan.FromDays(-1), SelectMode.SelectRead), () => SocketPatches.Poll(left, TimeSpan.FromDays(-1), SelectMode.SelectRead));
            left.Dispose();
            Parity.SameException(() => left.Poll(0, SelectMode.SelectRead), () => SocketPatches.Poll(left, 0, SelectMode.SelectRead));
        }
    }

    [Fact]
    public void InAGreenletBadArgumentsThrowWhatTheBclThrows()
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (right)
            {
                Parity.SameException(() => Socket.Select(null, null, null, 0), () => SocketPatches.Select(null, null, null, 0));
                Parity.SameException(() => Socket.Select(new ArrayList(), new ArrayList(), null, 0), () => SocketPatches.Select(new ArrayList(), new ArrayList(), null, 0));
                Parity.SameException(() => Socket.Select(new ArrayList { left }, null, null, TimeSpan.FromDays(-1)), () => SocketPatches.Select(new ArrayList { left }, null, null, TimeSpan.FromDays(-1)));
                Parity.SameException(() => left.Poll(TimeSpan.FromDays(-1), SelectMode.SelectRead), () => SocketPatches.Poll(left, TimeSpan.FromDays(-1), SelectMode.SelectRead));
                left.Dispose();
                Parity.SameException(() => left.Poll(0, SelectMode.SelectRead), () => SocketPatches.Poll(left, 0, SelectMode.SelectRead));
                Parity.SameException(() => Socket.Select(new ArrayList { left }, null, null, 0), () => SocketPatches.Select(new ArrayList { left }, null, null, 0));
            }
        });
    }

    [Theory]
    [InlineData(SelectMode.SelectRead)]
    [InlineData(SelectMode.SelectError)]
    public void InAGreenletPollParksUntilTheAnswerIsTrueOrTheTimePasses(SelectMode mode)
    {
        HubTest.Run(() =>
        {
            var (left, right) = SocketKit.TcpPair();
            using (left)
            using (right)
            {
                Assert.False(SocketKit.WaitsCooperatively(TimeSpan.FromMilliseconds(300), () => SocketPatches.Poll(left, 300_000, mode)));
                Assert.True(SocketPatches.Poll(left, 0, SelectMode.SelectWrite));

                if (mode == SelectMode.SelectRead)
                {
                    var polled = Greenlet.Spawn(() => SocketPatches.Poll(left, -1, mode));
                    Greenlet.Yield();
                    Assert.False(polled.Dead);
                    SocketPatches.Send(right, new byte[] { 1 });
                    Assert.True(polled.Join(SocketKit.Generous));
                    Assert.True(polled.Get());
                }
            }
        });
    }

    [Fact]
    public void InAGreenletSelectParksUntilOneSocketIsReadyAndLeavesOnlyTheReadyOnes()
    {
        HubTest.Run(() =>
        {
            using var pairs = SocketKit.TcpPairs(5);
            var read = new ArrayList(pairs.Select(p => p.Left).Append(pairs[0].Left).ToList());
            var selector = Greenlet.Spawn(() => SocketPatches.Select(read, null, null, -1));
            Greenlet.Yield();
            Assert.False(selector.Dead);
            Assert.Equal(6, read.Count);
            SocketPatches.Send(pairs[3].Right, new byte[] { 1 });
            Assert.True(selector.Join(SocketKit.Generous));
            Assert.Equal(new ArrayList { pairs[3].Left }, read);

            // Nothing ready within the time: every list comes back empty.
            var readAgain = new ArrayList { pairs[0].Left };
            var errors = new ArrayList { pairs[1].Left };
            var stopwatch = Stopwatch.StartNew();
            SocketPatches.Select(readAgain, null, errors, TimeSpan.FromMilliseconds(50));
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(45), TimeSpan.FromSeconds(10));
            Assert.Empty(readAgain);
            Assert.Empty(errors);

            var write = new ArrayList { pairs[2].Left };
            SocketPatches.Select(null, write, null, -1);
            Assert.Single(write);
        });
    }
}
