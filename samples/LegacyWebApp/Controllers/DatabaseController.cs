using Microsoft.AspNetCore.Mvc;
using Npgsql;

namespace LegacyWebApp.Controllers;

/// <summary>A controller using Npgsql's synchronous API, which blocks its thread without Gevent.</summary>
[ApiController]
[Route("db")]
public sealed class DatabaseController(Database database) : ControllerBase
{
    /// <summary>Runs <c>SELECT pg_sleep(…)</c> and returns the server's clock.</summary>
    [HttpGet("sleep")]
    public ActionResult<string> Sleep(double seconds = 0.05)
    {
        if (!database.IsConfigured)
        {
            return Problem(Database.MissingMessage, statusCode: StatusCodes.Status503ServiceUnavailable);
        }

        using var connection = database.Open();
        using var command = new NpgsqlCommand("SELECT pg_sleep(@seconds), now()::text", connection);
        command.Parameters.AddWithValue("seconds", seconds);
        using var reader = command.ExecuteReader();
        reader.Read();
        return reader.GetString(1);
    }
}
