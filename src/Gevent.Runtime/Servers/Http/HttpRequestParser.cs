using System.Net;

using System.Globalization;

namespace Gevent.Servers;

/// <summary>
/// Reads one request head (RFC 9112) and decides how its body is framed. Strict where leniency lets
/// two parties disagree about where a request ends (request smuggling): obs-fold, whitespace before a
/// colon, Content-Length together with Transfer-Encoding, conflicting or malformed lengths.
/// </summary>
internal static class HttpRequestParser
{
    private const int MaxLeadingEmptyLines = 4;

    /// <summary>The next request's head, or null if the client closed the connection cleanly before one.</summary>
    public static HttpRequest? ReadHead(HttpInput input, HttpServerOptions options)
    {
        string? line;
        var emptyLines = 0;
        do
        {
            line = input.ReadLine(options.MaxRequestLineLength, 414);
            if (line is null)
            {
                return null;
            }
        }
        while (line.Length == 0 && ++emptyLines <= MaxLeadingEmptyLines);

        var (method, target, version) = ParseRequestLine(line);
        var headers = ReadFields(input, options.MaxHeaderCount, options.MaxHeaderBytes, options.MaxRequestLineLength);
        if (version == HttpVersion.Version11 && !headers.Contains("Host"))
        {
            throw new HttpRequestRejectedException(400, "An HTTP/1.1 request must have a Host header.");
        }

        var (contentLength, chunked) = ParseFraming(headers, version, options);
        return new HttpRequest(method, target, version, headers, contentLength, chunked);
    }

    /// <summary>Reads header (or trailer) fields up to the empty line.</summary>
    public static HttpHeaders ReadFields(HttpInput input, int maxCount, int maxBytes, int maxLine)
    {
        var headers = new HttpHeaders();
        var bytes = 0;
        while (true)
        {
            var line = input.ReadLine(Math.Min(maxLine, maxBytes), 431)
                ?? throw new HttpRequestRejectedException(400, "The connection closed inside the request head.");
            if (line.Length == 0)
            {
                return headers;
            }

            bytes += line.Length + 2;
            if (headers.Count >= maxCount || bytes > maxBytes)
            {
                throw new HttpRequestRejectedException(431, $"The request's header fields exceed {maxCount} fields or {maxBytes} bytes.");
            }

            if (line[0] is ' ' or '\t')
            {
                throw new HttpRequestRejectedException(400, "Folded header lines (obs-fold) are not accepted.");
            }

            var colon = line.IndexOf(':');
            if (colon <= 0 || !HttpSyntax.IsToken(line.AsSpan(0, colon)))
            {
                throw new HttpRequestRejectedException(400, "A header field name is malformed (no colon, or not a token, or whitespace before the colon).");
            }

            var value = line.AsSpan(colon + 1).Trim(" \t");
            if (!HttpSyntax.IsFieldValue(value))
            {
                throw new HttpRequestRejectedException(400, $"The value of header '{line[..colon]}' contains control characters.");
            }

            headers.AddParsed(line[..colon], value.ToString());
        }
    }

    private static (string Method, string Target, Version Version) ParseRequestLine(string line)
    {
        var parts = line.Split(' ');
        if (parts.Length != 3 || !HttpSyntax.IsToken(parts[0]) || parts[1].Length == 0 || !IsTarget(parts[1]))
        {
            throw new HttpRequestRejectedException(400, "The request line is malformed: expected 'METHOD target HTTP/1.x'.");
        }

        var version = parts[2] switch
        {
            "HTTP/1.1" => HttpVersion.Version11,
            "HTTP/1.0" => HttpVersion.Version10,
            _ when parts[2].Length == 8 && parts[2].StartsWith("HTTP/", StringComparison.Ordinal) &&
                   char.IsAsciiDigit(parts[2][5]) && parts[2][6] == '.' && char.IsAsciiDigit(parts[2][7])
                => throw new HttpRequestRejectedException(505, $"{parts[2]} is not supported; this server speaks HTTP/1.0 and HTTP/1.1."),
            _ => throw new HttpRequestRejectedException(400, "The request line's protocol version is malformed."),
        };
        return (parts[0], parts[1], version);
    }

    private static bool IsTarget(string target)
    {
        foreach (var c in target)
        {
            if (c <= ' ' || c >= 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    private static (long? ContentLength, bool Chunked) ParseFraming(HttpHeaders headers, Version version, HttpServerOptions options)
    {
        var transferCodings = headers.GetValues("Transfer-Encoding")
            .SelectMany(v => v.Split(','))
            .Select(t => t.Trim(' ', '\t'))
            .ToList();
        var hasLength = headers.Contains("Content-Length");
        if (transferCodings.Count > 0)
        {
            if (hasLength)
            {
                throw new HttpRequestRejectedException(400, "Both Content-Length and Transfer-Encoding: a request smuggling attempt or a broken client.");
            }

            if (version == HttpVersion.Version10)
            {
                throw new HttpRequestRejectedException(400, "Transfer-Encoding in an HTTP/1.0 request.");
            }

            if (!string.Equals(transferCodings[^1], "chunked", StringComparison.OrdinalIgnoreCase))
            {
                throw new HttpRequestRejectedException(400, "A request's last transfer coding must be chunked.");
            }

            if (transferCodings.Count > 1)
            {
                throw new HttpRequestRejectedException(501, $"Transfer codings other than chunked are not supported ({string.Join(", ", transferCodings)}).");
            }

            return (null, true);
        }

        if (!hasLength)
        {
            return (null, false);
        }

        long? length = null;
        foreach (var value in headers.GetValues("Content-Length").SelectMany(v => v.Split(',')))
        {
            var text = value.Trim(' ', '\t');
            if (text.Length == 0 || text.Length > 18 || !text.All(char.IsAsciiDigit) ||
                !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
            {
                throw new HttpRequestRejectedException(400, $"Content-Length '{value}' is not a valid length.");
            }

            if (length is { } previous && previous != parsed)
            {
                throw new HttpRequestRejectedException(400, "Conflicting Content-Length values.");
            }

            length = parsed;
        }

        if (length > options.MaxBodySize)
        {
            throw new HttpRequestRejectedException(413, $"The request body of {length} bytes exceeds the limit of {options.MaxBodySize}.");
        }

        return (length, false);
    }
}
