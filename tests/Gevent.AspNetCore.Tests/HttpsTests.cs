using System.Net;
using System.Security.Cryptography.X509Certificates;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// Over TLS, HTTP/1.1 and HTTP/2 requests run on greenlets as plain ones do: Kestrel does the handshake and the
/// protocol on its own threads and hands each request (each HTTP/2 stream) to the wrapped application.
/// </summary>
public sealed class HttpsTests : IDisposable
{
    private readonly X509Certificate2 _certificate = TestCertificate.Create();

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task HttpsRequestsRunInGreenletsAndBlockConcurrently(WayIn way)
    {
        await using var app = await StartAsync(way, HttpProtocols.Http1);
        Assert.StartsWith("https://", app.Client.BaseAddress!.ToString(), StringComparison.Ordinal);

        Assert.Contains(await app.Client.GetStringAsync("/blocking/after-await?ms=1"), app.GreenletPlaces);
        await app.AssertBlocksConcurrentlyAsync("/blocking/sleep");
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task Http2StreamsOnOneConnectionRunInGreenletsAndBlockConcurrently(WayIn way)
    {
        await using var app = await StartAsync(way, HttpProtocols.Http2);
        app.Client.DefaultRequestVersion = HttpVersion.Version20;
        app.Client.DefaultVersionPolicy = HttpVersionPolicy.RequestVersionExact;

        using var response = await app.Client.GetAsync("/controller/sleep?ms=1");
        Assert.Equal(HttpVersion.Version20, response.Version);
        Assert.Contains(await response.Content.ReadAsStringAsync(), app.GreenletPlaces);

        // The client multiplexes the 20 requests as streams of one connection: Kestrel's frame loop must not be the
        // thread a blocking handler parks.
        await app.AssertBlocksConcurrentlyAsync("/blocking/sleep");
    }

    public void Dispose() => _certificate.Dispose();

    private Task<WebApp> StartAsync(WayIn way, HttpProtocols protocols) => WebApp.StartAsync(
        way,
        builder => builder.WebHost.ConfigureKestrel(kestrel => kestrel.Listen(IPAddress.Loopback, 0, listen =>
        {
            listen.Protocols = protocols;
            listen.UseHttps(_certificate);
        })),
        handler: TestCertificate.Trusting(_certificate));
}
