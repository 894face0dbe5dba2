using Gevent.AspNetCore;
using LegacyWebApp;

// Two ways in: `--gevent=true` calls UseGevent() here; without it, ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=Gevent.AspNetCore
// turns Gevent on with no code at all. With neither, this is a plain ASP.NET Core app whose blocking handlers
// starve the thread pool.
var builder = WebApplication.CreateBuilder(args);
if (builder.Configuration.GetValue<bool>("gevent"))
{
    builder.WebHost.UseGevent(options => options.MaxConcurrentRequests = 2000);
}

builder.Services.AddControllers();
builder.Services.AddSingleton(Database.FromEnvironment());

var app = builder.Build();

app.MapGet("/", () => "Hello, World!");

app.MapGet("/sleep", (int? ms) =>
{
    Thread.Sleep(ms ?? 50);
    return "slept";
});

app.MapGet("/wait", (int? ms) =>
{
    Task.Delay(ms ?? 50).Wait();
    return "waited";
});

app.MapControllers();
app.Run();
