using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using System.Text;
using Gevent.Patches;
using Gevent.Tests.Patches.Sockets;

namespace Gevent.Tests.Patches.Streams;

/// <summary>
/// SslStream needs no patches of its own: its sync handshake, Read and Write call its inner stream's sync
/// Read and Write, which a <see cref="GreenNetworkStream"/> makes cooperative. Both ends run in greenlets of
/// one hub, so any call that blocked its thread would hang the test.
/// </summary>
public class SslStreamTests
{
    private static readonly Lazy<X509Certificate2> s_certificate = new(CreateCertificate);

    [Fact]
    public void HandshakeAndEchoBetweenGreenletsOfOneHubWhileTheHubStaysResponsive()
    {
        var certificate = s_certificate.Value;
        HubTest.Run(() =>
        {
            using var listener = SocketKit.Listener();
            using var ticker = new Ticker();
            var server = Greenlet.Spawn(() =>
            {
                using var connection = SocketPatches.Accept(listener);
                using var tls = new SslStream(NetworkStreamPatches.Create(connection));
                tls.AuthenticateAsServer(certificate);
                var buffer = new byte[16 * 1024];
                int n;
                while ((n = tls.Read(buffer, 0, buffer.Length)) > 0)
                {
                    tls.Write(buffer, 0, n);
                }
            });

            var client = Greenlet.Spawn(() =>
            {
                using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
                SocketPatches.Connect(socket, listener.LocalEndPoint!);
                using var tls = new SslStream(NetworkStreamPatches.Create(socket), false, (_, _, _, _) => true);
                tls.AuthenticateAsClient("localhost");
                using var reader = new StreamReader(tls, Encoding.UTF8, false, 1024, leaveOpen: true);
                var lines = new List<string?>();
                foreach (var message in new[] { "hello", "over", "tls" })
                {
                    tls.Write(Encoding.UTF8.GetBytes(message + "\n"));
                    lines.Add(reader.ReadLine());
                }

                var big = new byte[512 * 1024];
                new Random(11).NextBytes(big);
                var echoed = new byte[big.Length];
                var reading = Greenlet.Spawn(() => tls.ReadExactly(echoed));
                tls.Write(big);
                Assert.True(reading.Join(SocketKit.Generous));
                Assert.True(big.AsSpan().SequenceEqual(echoed));
                tls.ShutdownAsync().GetAwaiter().GetResult();
                socket.Shutdown(SocketShutdown.Send);
                return lines;
            });

            Assert.Equal(["hello", "over", "tls"], client.Get(SocketKit.Generous));
            Assert.True(server.Join(SocketKit.Generous));
            Assert.True(server.Successful, server.Exception?.ToString());
            Assert.True(ticker.Ticks >= 1, "the ticker never ran during the TLS exchange");
        }, timeoutSeconds: 60);
    }

    private static X509Certificate2 CreateCertificate()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=localhost", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("localhost");
        request.CertificateExtensions.Add(names.Build());
        using var certificate = request.CreateSelfSigned(DateTimeOffset.UtcNow.AddDays(-1), DateTimeOffset.UtcNow.AddDays(1));

        // Round-trip through PKCS#12 so the private key is usable by the platform's TLS on every OS.
        return X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pfx), null);
    }
}
