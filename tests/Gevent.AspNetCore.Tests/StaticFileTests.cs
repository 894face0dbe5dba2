using System.Net;
using Microsoft.AspNetCore.Builder;
using Microsoft.Extensions.FileProviders;

namespace Gevent.AspNetCore.Tests;

/// <summary>
/// The static file middleware serves files, small and several megabytes, through the response's SendFileAsync, under
/// either way in, one at a time and many at once. (The template's <c>MapStaticAssets</c> serves through the same
/// SendFileAsync; the integration test's PlainWebApp uses it.)
/// </summary>
public sealed class StaticFileTests : IDisposable
{
    private const string Small = "hello from a static file";

    private readonly string _root = Directory.CreateTempSubdirectory("gevent-static-").FullName;
    private readonly byte[] _large = new byte[6 * 1024 * 1024 + 123];

    public StaticFileTests()
    {
        new Random(14).NextBytes(_large);
        File.WriteAllBytes(Path.Combine(_root, "large.bin"), _large);
        File.WriteAllText(Path.Combine(_root, "small.txt"), Small);
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task SmallAndLargeFilesAreServedWhole(WayIn way)
    {
        await using var app = await StartAsync(way);

        Assert.Equal(Small, await app.Client.GetStringAsync("/small.txt"));
        using var response = await app.Client.GetAsync("/large.bin");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(_large.Length, response.Content.Headers.ContentLength);
        Assert.Equal(_large, await response.Content.ReadAsByteArrayAsync());
    }

    [Theory]
    [InlineData(WayIn.UseGevent)]
    [InlineData(WayIn.HostingStartup)]
    public async Task ManyDownloadsAtOnceEachGetTheWholeFile(WayIn way)
    {
        await using var app = await StartAsync(way);

        var downloads = await Task.WhenAll(Enumerable.Range(0, 8).Select(_ => app.Client.GetByteArrayAsync("/large.bin")));

        Assert.All(downloads, download => Assert.Equal(_large, download));
    }

    [Fact]
    public async Task ARangeOfALargeFileIsServed()
    {
        await using var app = await StartAsync(WayIn.UseGevent);
        using var request = new HttpRequestMessage(HttpMethod.Get, "/large.bin");
        request.Headers.Range = new System.Net.Http.Headers.RangeHeaderValue(1_000_000, 2_999_999);

        using var response = await app.Client.SendAsync(request);

        Assert.Equal(HttpStatusCode.PartialContent, response.StatusCode);
        Assert.Equal(_large.AsSpan(1_000_000, 2_000_000).ToArray(), await response.Content.ReadAsByteArrayAsync());
    }

    public void Dispose() => Directory.Delete(_root, recursive: true);

    private Task<WebApp> StartAsync(WayIn way) => WebApp.StartAsync(
        way,
        middleware: app => app.UseStaticFiles(new StaticFileOptions
        {
            FileProvider = new PhysicalFileProvider(_root)
        }));
}
