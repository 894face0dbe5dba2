using System.Net;
using System.Text;

namespace Gevent.AspNetCore.Tests;

/// <summary>Synchronous body reads work (and cooperate) under Gevent, where ASP.NET Core refuses them by default.</summary>
public sealed class BodyTests
{
    [Fact]
    public async Task ARequestBodyIsReadSynchronously()
    {
        await using var app = await WebApp.StartWithGeventAsync();
        var body = string.Concat(Enumerable.Repeat("0123456789", 20_000));

        using var response = await app.Client.PostAsync("/blocking/echo", new StringContent(body, Encoding.UTF8));

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(body, await response.Content.ReadAsStringAsync());
    }

    [Fact]
    public async Task SynchronousBodyReadsAreRefusedWhenTheOptionSaysSo()
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.AllowSynchronousIO = false);

        using var response = await app.Client.PostAsync("/blocking/echo", new StringContent("text"));

        Assert.Equal(HttpStatusCode.InternalServerError, response.StatusCode);
    }
}
