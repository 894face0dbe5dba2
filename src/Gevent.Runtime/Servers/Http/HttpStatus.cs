namespace Gevent.Servers;

/// <summary>Reason phrases, and which statuses may carry a body.</summary>
internal static class HttpStatus
{
    public static string Reason(int code) => code switch
    {
        100 => "Continue",
        200 => "OK",
        201 => "Created",
        204 => "No Content",
        301 => "Moved Permanently",
        302 => "Found",
        304 => "Not Modified",
        400 => "Bad Request",
        404 => "Not Found",
        405 => "Method Not Allowed",
        408 => "Request Timeout",
        413 => "Content Too Large",
        414 => "URI Too Long",
        431 => "Request Header Fields Too Large",
        500 => "Internal Server Error",
        501 => "Not Implemented",
        503 => "Service Unavailable",
        505 => "HTTP Version Not Supported",
        _ => code switch
        {
            < 200 => "Informational",
            < 300 => "Success",
            < 400 => "Redirection",
            < 500 => "Client Error",
            _ => "Server Error",
        },
    };

    /// <summary>1xx, 204 and 304 responses never have a body (RFC 9110 §6.4.1).</summary>
    public static bool AllowsBody(int code) => code >= 200 && code != 204 && code != 304;
}
