using System.Net;

namespace Gevent.Servers;

/// <summary>One HTTP request as a handler sees it. Read the body from <see cref="Body"/>.</summary>
public sealed class HttpRequest
{
    private Stream _body = Stream.Null;

    internal HttpRequest(string method, string target, Version version, HttpHeaders headers, long? contentLength, bool chunked)
    {
        Method = method;
        Target = target;
        Version = version;
        Headers = headers;
        ContentLength = contentLength;
        IsChunked = chunked;
        var query = target.IndexOf('?');
        Path = query < 0 ? target : target[..query];
        QueryString = query < 0 ? string.Empty : target[(query + 1)..];
    }

    /// <summary>The method, e.g. <c>GET</c>.</summary>
    public string Method { get; }

    /// <summary>The request target as sent, path and query, e.g. <c>/search?q=x</c>.</summary>
    public string Target { get; }

    /// <summary>The path part of <see cref="Target"/>, still percent-encoded.</summary>
    public string Path { get; }

    /// <summary>What follows <c>?</c> in <see cref="Target"/>, without it; empty if none.</summary>
    public string QueryString { get; }

    /// <summary><see cref="HttpVersion.Version10"/> or <see cref="HttpVersion.Version11"/>.</summary>
    public Version Version { get; }

    /// <summary>The header fields.</summary>
    public HttpHeaders Headers { get; }

    /// <summary>The declared body length, or null (chunked, or no body).</summary>
    public long? ContentLength { get; }

    /// <summary>True if the body is sent chunked.</summary>
    public bool IsChunked { get; }

    /// <summary>The body (empty if there is none); reading it first answers <c>Expect: 100-continue</c>.</summary>
    public Stream Body
    {
        get => _body;
        internal set => _body = value;
    }

    /// <summary>The client's address.</summary>
    public EndPoint? RemoteEndPoint { get; internal set; }

    /// <summary>Decodes <see cref="QueryString"/> into name/value pairs, in order (<c>+</c> is a space).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> ParseQuery() =>
        QueryString.Split('&', StringSplitOptions.RemoveEmptyEntries)
            .Select(pair =>
            {
                var equals = pair.IndexOf('=');
                return new KeyValuePair<string, string>(
                    Decode(equals < 0 ? pair : pair[..equals]),
                    equals < 0 ? string.Empty : Decode(pair[(equals + 1)..]));
            })
            .ToList();

    /// <summary>Whether the client asked to keep the connection open after this request.</summary>
    internal bool WantsKeepAlive => Version == HttpVersion.Version11
        ? !Headers.HasToken("Connection", "close")
        : Headers.HasToken("Connection", "keep-alive");

    internal bool ExpectsContinue => Version == HttpVersion.Version11 && Headers.HasToken("Expect", "100-continue");

    private static string Decode(string text) => Uri.UnescapeDataString(text.Replace('+', ' '));
}
