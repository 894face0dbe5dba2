using Gevent.AspNetCore.Hosting;
using Microsoft.AspNetCore.Hosting;

[assembly: HostingStartup(typeof(GeventHostingStartup))]

namespace Gevent.AspNetCore.Hosting;

/// <summary>
/// Turns Gevent on with no code change: <c>ASPNETCORE_HOSTINGSTARTUPASSEMBLIES=Gevent.AspNetCore</c> (the assembly
/// must be in the app's deps.json, which <c>gevent-patch</c> arranges on a publish folder).
/// </summary>
internal sealed class GeventHostingStartup : IHostingStartup
{
    public void Configure(IWebHostBuilder builder) => builder.ConfigureServices(GeventServices.Add);
}
