using Microsoft.AspNetCore.Mvc;

namespace PlainWebApp.Controllers;

/// <summary>A controller action that blocks, as MVC apps of the synchronous era do.</summary>
[ApiController]
[Route("controller")]
public sealed class BlockingController : ControllerBase
{
    /// <summary>Sleeps <paramref name="ms"/> ms and names the synchronization context it ran under.</summary>
    [HttpGet("sleep")]
    public string Sleep(int ms)
    {
        Thread.Sleep(ms);
        return Where.Context();
    }
}
