using System.Diagnostics;
using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using Gevent.Patches;
using Gevent.Servers;

namespace Gevent.Tests.Servers;

public class StreamServerTests
{
    private static readonly IPEndPoint s_anyLoopbackPort = new(IPAddress.Loopback, 0);

    /// <summary>For handlers that share the test's plain state or its hub's objects: the server runs on the test's hub.</summary>
    internal const int OnTheTestsHub = 1;

    [Fact]
    public void AHundredClientsAreEchoedConcurrentlyAndEveryConnectionEnds()
    {
        HubTest.Run(() =>
        {
            using var server = new StreamServer(s_anyLoopbackPort, Echo);
            server.Start();
            var clients = Enumerable.Range(0, 100).Select(i => Greenlet.Spawn(() =>
            {
                using var client = new LoopbackClient(server.LocalEndPoint!);
                for (var round = 0; round < 10; round++)
                {
                    var message = $"client {i} round {round}\n";
                    client.Send(message);
                    Assert.Equal(message, client.Receive(message.Length));
                }
            })).ToList();
            Greenlet.JoinAll(clients, TimeSpan.FromSeconds(30));
            Assert.All(clients, c => c.Get());
            WaitUntil(() => server.ConnectionCount == 0);
        });
    }

    [Fact]
    public void AFailingHandlerIsLoggedItsConnectionClosedAndTheServerKeepsServing()
    {
        HubTest.Run(() =>
        {
            var log = new ListLogger();
            var calls = 0;
            using var server = new StreamServer(s_anyLoopbackPort, connection =>
            {
                if (++calls == 1)
                {
                    throw new InvalidOperationException("handler broke");
                }

                Echo(connection);
            }, new StreamServerOptions { Logger = log, Hubs = OnTheTestsHub });
            server.Start();

            using (var first = new LoopbackClient(server.LocalEndPoint!))
            {
                Assert.Equal(string.Empty, first.ReceiveToEnd());
            }

            using var second = new LoopbackClient(server.LocalEndPoint!);
            second.Send("still here");
            Assert.Equal("still here", second.Receive(10));
            Assert.Contains(log.Entries, e => e.Exception?.Message == "handler broke");
        });
    }

    [Fact]
    public void AClientResettingItsConnectionIsLoggedAtDebugLevelInOneLine()
    {
        HubTest.Run(() =>
        {
            var log = new ListLogger();
            var reading = new GreenEvent();
            using var server = new StreamServer(s_anyLoopbackPort, connection =>
            {
                reading.Set();
                Echo(connection);
            }, new StreamServerOptions { Logger = log, Hubs = OnTheTestsHub });
            server.Start();

            using (var client = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp))
            {
                client.Connect(server.LocalEndPoint!);
                Assert.True(reading.Wait(TimeSpan.FromSeconds(20)));

                // Linger 0: the close sends a reset, as the soak's abrupt clients do.
                client.LingerState = new LingerOption(true, 0);
            }

            WaitUntil(() => server.ConnectionCount == 0);
            var entry = Assert.Single(log.Entries);
            Assert.Equal(Microsoft.Extensions.Logging.LogLevel.Debug, entry.Level);
            Assert.Null(entry.Exception);
            Assert.DoesNotContain('\n', entry.Message);
        });
    }

    [Fact]
    public void WithMaxConnectionsAcceptingPausesWhileThePoolIsFull()
    {
        HubTest.Run(() =>
        {
            var serving = 0;
            var mostAtOnce = 0;
            using var server = new StreamServer(s_anyLoopbackPort, connection =>
            {
                mostAtOnce = Math.Max(mostAtOnce, ++serving);
                Greenlet.Sleep(TimeSpan.FromMilliseconds(50));
                serving--;
                Echo(connection);
            }, new StreamServerOptions { MaxConnections = 2, Hubs = OnTheTestsHub });
            server.Start();
            var stopwatch = Stopwatch.StartNew();
            var clients = Enumerable.Range(0, 6).Select(_ => Greenlet.Spawn(() =>
            {
                using var client = new LoopbackClient(server.LocalEndPoint!);
                client.Send("x");
                Assert.Equal("x", client.Receive(1));
            })).ToList();
            Greenlet.JoinAll(clients, TimeSpan.FromSeconds(30));
            Assert.All(clients, c => c.Get());
            Assert.Equal(2, mostAtOnce);
            Assert.True(stopwatch.Elapsed >= TimeSpan.FromMilliseconds(140), "six 50 ms handlers two at a time take three rounds");
        });
    }

    [Fact]
    public void StopRefusesNewClientsWaitsForHandlersThenKillsTheRest()
    {
        HubTest.Run(() =>
        {
            var slowFinished = false;
            var stuckCleanedUp = false;
            var stopping = false;
            using var server = new StreamServer(s_anyLoopbackPort, connection =>
            {
                var first = new byte[1];
                connection.Stream.ReadExactly(first);
                if (first[0] == (byte)'s')
                {
                    // Busy until the stop, then 50 ms more: had it ended 50 ms after its start, a loaded machine could
                    // accept the other client (on another hub's thread) only after it, and both were never counted at once.
                    while (!Volatile.Read(ref stopping))
                    {
                        Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
                    }

                    Greenlet.Sleep(TimeSpan.FromMilliseconds(50));
                    slowFinished = true;
                    return;
                }

                try
                {
                    Greenlet.Sleep(Timeout.InfiniteTimeSpan);
                }
                finally
                {
                    stuckCleanedUp = true;
                }
            });
            server.Start();
            var endPoint = server.LocalEndPoint!;
            using var slow = new LoopbackClient(endPoint);
            using var stuck = new LoopbackClient(endPoint);
            slow.Send("s");
            stuck.Send("x");

            // Both accepted before the stop, which the server's other hubs do on threads of their own.
            WaitUntil(() => server.ConnectionCount == 2);

            var stopwatch = Stopwatch.StartNew();
            Volatile.Write(ref stopping, true);
            server.Stop(TimeSpan.FromSeconds(1));
            Assert.True(slowFinished);
            Assert.True(stuckCleanedUp);
            Assert.InRange(stopwatch.Elapsed, TimeSpan.FromMilliseconds(950), TimeSpan.FromSeconds(10));
            Assert.Equal(0, server.ConnectionCount);
            Assert.False(server.IsRunning);
            Assert.Throws<SocketException>(() => new LoopbackClient(endPoint));
        });
    }

    [Fact]
    public void ABoundSocketCanBeServedAndPortZeroGetsARealPort()
    {
        HubTest.Run(() =>
        {
            var listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            listener.Bind(s_anyLoopbackPort);
            using var server = new StreamServer(listener, Echo);
            server.Start();
            Assert.NotEqual(0, ((IPEndPoint)server.LocalEndPoint!).Port);
            using var client = new LoopbackClient(server.LocalEndPoint!);
            client.Send("ok");
            Assert.Equal("ok", client.Receive(2));
        });
    }

    [Fact]
    public void TlsConnectionsAreNegotiatedBeforeTheHandlerRuns()
    {
        HubTest.Run(() =>
        {
            using var certificate = SelfSignedCertificate();
            using var server = new StreamServer(s_anyLoopbackPort, Echo, new StreamServerOptions { Certificate = certificate });
            server.Start();
            var clients = Enumerable.Range(0, 5).Select(i => Greenlet.Spawn(() =>
            {
                using var client = new LoopbackClient(server.LocalEndPoint!);
                using var tls = new SslStream(client.Stream, leaveInnerStreamOpen: true, (_, _, _, _) => true);
                tls.AuthenticateAsClient("localhost");
                var message = System.Text.Encoding.ASCII.GetBytes($"secret {i}");
                tls.Write(message);
                var echo = new byte[message.Length];
                tls.ReadExactly(echo);
                Assert.Equal(message, echo);
            })).ToList();
            Greenlet.JoinAll(clients, TimeSpan.FromSeconds(30));
            Assert.All(clients, c => c.Get());
        });
    }

    [Fact]
    public void BadArgumentsAreRefused()
    {
        HubTest.Run(() =>
        {
            Assert.Throws<ArgumentNullException>(() => new StreamServer(s_anyLoopbackPort, null!));
            Assert.Throws<ArgumentNullException>(() => new StreamServer((EndPoint)null!, Echo));
            using var unbound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            Assert.Throws<ArgumentException>(() => new StreamServer(unbound, Echo));
            Assert.Throws<ArgumentOutOfRangeException>(() => new StreamServer(s_anyLoopbackPort, Echo, new StreamServerOptions { Backlog = 0 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new StreamServer(s_anyLoopbackPort, Echo, new StreamServerOptions { MaxConnections = -1 }));
            Assert.Throws<ArgumentOutOfRangeException>(() => new StreamServer(s_anyLoopbackPort, Echo, new StreamServerOptions { Hubs = 0 }));
            var pooled = Assert.Throws<ArgumentException>(() => new StreamServer(s_anyLoopbackPort, Echo, new StreamServerOptions { Hubs = 2, Pool = new Pool(4) }));
            Assert.Contains("a Pool belongs to one hub", pooled.Message);
            using var bound = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
            bound.Bind(s_anyLoopbackPort);
            var oneListener = Assert.Throws<ArgumentException>(() => new StreamServer(bound, Echo, new StreamServerOptions { Hubs = 2 }));
            Assert.Contains("a bound socket is one listener", oneListener.Message);
            using var server = new StreamServer(s_anyLoopbackPort, Echo);
            server.Start();
            Assert.Throws<InvalidOperationException>(server.Start);

            // Stopped before it ever started: starting it now would leave a server no Stop could end.
            using var stoppedFirst = new StreamServer(s_anyLoopbackPort, Echo);
            stoppedFirst.Stop();
            var stopped = Assert.Throws<InvalidOperationException>(stoppedFirst.Start);
            Assert.Contains("stopped server cannot start again", stopped.Message);
        });
    }

    internal static void Echo(ServerConnection connection)
    {
        var buffer = new byte[4096];
        int read;
        while ((read = connection.Stream.Read(buffer)) > 0)
        {
            connection.Stream.Write(buffer, 0, read);
        }
    }

    internal static void WaitUntil(Func<bool> condition)
    {
        var stopwatch = Stopwatch.StartNew();
        while (!condition())
        {
            Assert.True(stopwatch.Elapsed < TimeSpan.FromSeconds(20), "the condition never became true");
            Greenlet.Sleep(TimeSpan.FromMilliseconds(5));
        }
    }

    private static X509Certificate2 SelfSignedCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var certificate = request.CreateSelfSigned(DateTimeOffset.Now.AddDays(-1), DateTimeOffset.Now.AddDays(1));
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
