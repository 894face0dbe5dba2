namespace Gevent.AspNetCore.Tests;

/// <summary>Request code runs in greenlets of the server's hubs, before and after an <c>await</c>.</summary>
public sealed class PlacementTests
{
    [Theory]
    [InlineData("/blocking/where")]
    [InlineData("/blocking/after-await?ms=1")]
    [InlineData("/controller/sleep?ms=1")]
    public async Task HandlersRunInAGreenletOfTheServersHubs(string path)
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.HubCount = 1);

        var places = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => app.Client.GetStringAsync(path)));

        Assert.Single(app.HubIds);
        Assert.All(places, place => Assert.Contains(place, app.GreenletPlaces));
    }

    [Fact]
    public async Task ByDefaultThereIsOneHubPerProcessor()
    {
        await using var app = await WebApp.StartWithGeventAsync();

        Assert.Equal(Environment.ProcessorCount, app.HubIds.Count);
    }

    [Fact]
    public async Task TheHubCountIsReadFromTheGeventConfigurationSection()
    {
        await using var app = await WebApp.StartAsync(builder =>
        {
            builder.Configuration[$"{GeventServerOptions.ConfigurationSection}:{nameof(GeventServerOptions.HubCount)}"] = "3";
            builder.WebHost.UseGevent();
        });

        Assert.Equal(3, app.HubIds.Count);
    }

    [Fact]
    public async Task WithTwoHubsRequestsTakeTurnsAndEachIsAnswered()
    {
        await using var app = await WebApp.StartWithGeventAsync(options => options.HubCount = 2);

        // One after another, so that each hub's greenlet thread finishes and waits in its own loop before the next
        // request goes to the other hub (the threads are shared by every hub).
        var places = new List<string>();
        for (var i = 0; i < 8; i++)
        {
            places.Add(await app.Client.GetStringAsync("/blocking/where").WaitAsync(TimeSpan.FromSeconds(20)));
        }

        Assert.Equal(app.GreenletPlaces.Order(), places.Distinct().Order());
    }

    [Fact]
    public async Task WithoutGeventHandlersRunOnPlainThreads()
    {
        await using var app = await WebApp.StartAsync(_ => { });

        Assert.Equal("thread", await app.Client.GetStringAsync("/blocking/where"));
    }
}
