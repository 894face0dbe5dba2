using System.Text;
using PlainWebApp;

var builder = WebApplication.CreateBuilder(args);
builder.Services.AddControllers();
builder.Services.AddHttpClient();
var app = builder.Build();
var aborts = new AbortCounter();

// Each blocking endpoint answers with the type of the synchronization context it ran under: a plain app has none;
// under Gevent each request runs in a greenlet with one of Gevent's. A name, so the app needs nothing of Gevent.
app.MapGet("/hello", () => "hello");
app.MapGet("/sleep", (int ms) =>
{
    Thread.Sleep(ms);
    return Where.Context();
});
app.MapGet("/delay", (int ms) =>
{
    Task.Delay(ms).Wait();
    return Where.Context();
});
app.MapPost("/body", (HttpRequest request) =>
{
    // Synchronous on purpose: ASP.NET Core refuses it unless the server allows synchronous I/O (Gevent does).
    using var reader = new StreamReader(request.Body, Encoding.UTF8);
    return $"read {reader.ReadToEnd().Length} chars";
});
app.MapGet("/after-await", async (int ms) =>
{
    await Task.Yield();
    Thread.Sleep(ms);
    return Where.Context();
});
app.MapGet("/client", (HttpContext context, IHttpClientFactory clients) =>
{
    // A synchronous call back to this app's own /hello, as legacy code calls a neighbouring service.
    using var request = new HttpRequestMessage(HttpMethod.Get, $"http://{context.Request.Host}/hello");
    using var response = clients.CreateClient().Send(request);
    using var reader = new StreamReader(response.Content.ReadAsStream());
    return $"{(int)response.StatusCode} {reader.ReadToEnd()}";
});
app.MapGet("/id/{id}", (string id, int ms, HttpContext context) =>
{
    RequestId.Value = id;
    context.Items["id"] = id;
    Thread.Sleep(ms);
    return $"{RequestId.Value} {context.Items["id"]} {context.Request.RouteValues["id"]}";
});
app.MapGet("/abortable", (int ms) => aborts.Sleep(ms));
app.MapGet("/abortable/running", () => aborts.Running);
app.MapControllers();

// As the web templates serve wwwroot: from the manifest the build writes, through the response's SendFileAsync.
app.MapStaticAssets();
app.Run();
