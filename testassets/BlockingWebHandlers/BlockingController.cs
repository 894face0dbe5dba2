using Microsoft.AspNetCore.Mvc;

namespace BlockingWebHandlers;

/// <summary>An MVC controller whose actions block the way legacy code does.</summary>
[ApiController]
[Route("controller")]
public sealed class BlockingController : ControllerBase
{
    /// <summary>Sleeps <paramref name="ms"/> milliseconds, then says where it ran.</summary>
    [HttpGet("sleep")]
    public string Sleep(int ms)
    {
        Thread.Sleep(ms);
        return WhereAmI.Describe();
    }
}
