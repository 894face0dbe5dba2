using System.Globalization;
using System.Net;
using System.Text;

namespace Gevent.Servers;

/// <summary>
/// Reads one request head (RFC 9112) and decides how its body is framed. Strict where leniency lets
/// two parties disagree about where a request ends (request smuggling): obs-fold, whitespace before a
/// colon, Content-Length together with Transfer-Encoding, conflicting or malformed lengths.
/// </summary>
internal static class HttpRequestParser
{
    /// <summary>Empty lines skipped before a request line (RFC 9112 asks for at least one).</summary>
    public const int MaxLeadingEmptyLines = 4;

    /// <summary>The next request's head, or null if the client closed the connection cleanly before one.</summary>
    /// <param name="input">The connection's input.</param>
    /// <param name="options">The limits.</param>
    /// <param name="previous">
    /// The connection's previous request, if any: where the method, target and header fields repeat its
    /// own, byte for byte, its strings are used again. A client on a kept-alive connection sends much
    /// the same head each time, and a request that allocates nothing new costs no garbage collection
    /// (which must stop every greenlet thread of the process).
    /// </param>
    public static HttpRequest? ReadHead(HttpInput input, HttpServerOptions options, HttpRequest? previous)
    {
        ReadOnlySpan<byte> line;
        var emptyLines = 0;
        do
        {
            if (!input.TryReadLine(options.MaxRequestLineLength, 414, out line))
            {
                return null;
            }
        }
        while (line.Length == 0 && ++emptyLines <= MaxLeadingEmptyLines);

        var (method, target, version) = ParseRequestLine(line, previous);
        var headers = ReadFields(input, options.MaxHeaderCount, options.MaxHeaderBytes, options.MaxRequestLineLength, previous?.Headers);
        if (version == HttpVersion.Version11 && !headers.Contains("Host"))
        {
            throw new HttpRequestRejectedException(400, "An HTTP/1.1 request must have a Host header.");
        }

        var (contentLength, chunked) = ParseFraming(headers, version, options);
        return new HttpRequest(method, target, version, headers, contentLength, chunked);
    }

    /// <summary>Reads header (or trailer) fields up to the empty line.</summary>
    /// <param name="input">The connection's input.</param>
    /// <param name="maxCount">The most fields accepted.</param>
    /// <param name="maxBytes">The most bytes of fields accepted.</param>
    /// <param name="maxLine">The longest field line accepted.</param>
    /// <param name="previous">Fields whose strings to use again where the same field comes in the same place.</param>
    public static HttpHeaders ReadFields(HttpInput input, int maxCount, int maxBytes, int maxLine, HttpHeaders? previous = null)
    {
        var headers = new HttpHeaders();
        var bytes = 0;
        while (true)
        {
            if (!input.TryReadLine(Math.Min(maxLine, maxBytes), 431, out var line))
            {
                throw new HttpRequestRejectedException(400, "The connection closed inside the request head.");
            }

            if (line.Length == 0)
            {
                return headers;
            }

            bytes += line.Length + 2;
            if (headers.Count >= maxCount || bytes > maxBytes)
            {
                throw new HttpRequestRejectedException(431, $"The request's header fields exceed {maxCount} fields or {maxBytes} bytes.");
            }

            if (line[0] is (byte)' ' or (byte)'\t')
            {
                throw new HttpRequestRejectedException(400, "Folded header lines (obs-fold) are not accepted.");
            }

            var colon = line.IndexOf((byte)':');
            if (colon <= 0 || !HttpSyntax.IsToken(line[..colon]))
            {
                throw new HttpRequestRejectedException(400, "A header field name is malformed (no colon, or not a token, or whitespace before the colon).");
            }

            var value = line[(colon + 1)..].Trim(" \t"u8);
            if (!HttpSyntax.IsFieldValue(value))
            {
                throw new HttpRequestRejectedException(400, $"The value of header '{Encoding.Latin1.GetString(line[..colon])}' contains control characters.");
            }

            KeyValuePair<string, string> before = default;
            previous?.TryGetAt(headers.Count, out before);
            headers.AddParsed(Text(line[..colon], before.Key), Text(value, before.Value));
        }
    }

    /// <summary>The Latin-1 text of <paramref name="bytes"/>: <paramref name="same"/> itself when it already is that text.</summary>
    private static string Text(ReadOnlySpan<byte> bytes, string? same) =>
        same is not null && Ascii.Equals(bytes, same) ? same : Encoding.Latin1.GetString(bytes);

    private static (string Method, string Target, Version Version) ParseRequestLine(ReadOnlySpan<byte> line, HttpRequest? previous)
    {
        // Exactly two spaces: "METHOD target HTTP/1.x".
        var firstSpace = line.IndexOf((byte)' ');
        var afterMethod = firstSpace < 0 ? default : line[(firstSpace + 1)..];
        var secondSpace = afterMethod.IndexOf((byte)' ');
        if (firstSpace < 0 || secondSpace < 0 || afterMethod[(secondSpace + 1)..].Contains((byte)' '))
        {
            throw MalformedRequestLine();
        }

        var method = line[..firstSpace];
        var target = afterMethod[..secondSpace];
        var version = afterMethod[(secondSpace + 1)..];
        if (!HttpSyntax.IsToken(method) || target.IsEmpty || !IsTarget(target))
        {
            throw MalformedRequestLine();
        }

        return (Text(method, previous?.Method), Text(target, previous?.Target), ParseVersion(version));
    }

    private static HttpRequestRejectedException MalformedRequestLine() =>
        new(400, "The request line is malformed: expected 'METHOD target HTTP/1.x'.");

    private static Version ParseVersion(ReadOnlySpan<byte> version)
    {
        if (version.SequenceEqual("HTTP/1.1"u8))
        {
            return HttpVersion.Version11;
        }

        if (version.SequenceEqual("HTTP/1.0"u8))
        {
            return HttpVersion.Version10;
        }

        if (version.Length == 8 && version.StartsWith("HTTP/"u8) &&
            char.IsAsciiDigit((char)version[5]) && version[6] == '.' && char.IsAsciiDigit((char)version[7]))
        {
            throw new HttpRequestRejectedException(505, $"{Encoding.Latin1.GetString(version)} is not supported; this server speaks HTTP/1.0 and HTTP/1.1.");
        }

        throw new HttpRequestRejectedException(400, "The request line's protocol version is malformed.");
    }

    private static bool IsTarget(ReadOnlySpan<byte> target)
    {
        foreach (var b in target)
        {
            if (b <= ' ' || b >= 0x7f)
            {
                return false;
            }
        }

        return true;
    }

    private static (long? ContentLength, bool Chunked) ParseFraming(HttpHeaders headers, Version version, HttpServerOptions options)
    {
        var hasLength = headers.Contains("Content-Length");
        if (headers.Contains("Transfer-Encoding"))
        {
            var transferCodings = headers.GetValues("Transfer-Encoding")
                .SelectMany(v => v.Split(','))
                .Select(t => t.Trim(' ', '\t'))
                .ToList();
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

        // Spans, not Split: many requests carry a length (every POST), and each piece would be a string.
        long? length = null;
        for (var i = 0; headers.TryGetAt(i, out var field); i++)
        {
            if (!string.Equals(field.Key, "Content-Length", StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = field.Value.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var value = comma < 0 ? rest : rest[..comma];
                var text = value.Trim(" \t");
                if (text.Length == 0 || text.Length > 18 || text.ContainsAnyExceptInRange('0', '9') ||
                    !long.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var parsed))
                {
                    throw new HttpRequestRejectedException(400, $"Content-Length '{value}' is not a valid length.");
                }

                if (length is { } previous && previous != parsed)
                {
                    throw new HttpRequestRejectedException(400, "Conflicting Content-Length values.");
                }

                length = parsed;
                if (comma < 0)
                {
                    break;
                }

                rest = rest[(comma + 1)..];
            }
        }

        if (length > options.MaxBodySize)
        {
            throw new HttpRequestRejectedException(413, $"The request body of {length} bytes exceeds the limit of {options.MaxBodySize}.");
        }

        return (length, false);
    }
}
