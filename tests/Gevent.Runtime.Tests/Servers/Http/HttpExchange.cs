using System.Text;
using Gevent.Servers;

namespace Gevent.Tests.Servers.Http;

/// <summary>
/// Feeds raw request bytes to one <see cref="HttpConnection"/> and parses what it wrote back into
/// responses, so protocol rules can be checked byte for byte without sockets.
/// </summary>
internal static class HttpExchange
{
    public static List<ParsedResponse> Run(string requests, Action<HttpRequest, HttpResponse> handler, HttpServerOptions? options = null) =>
        Run(Encoding.Latin1.GetBytes(requests), handler, options);

    public static List<ParsedResponse> Run(byte[] requests, Action<HttpRequest, HttpResponse> handler, HttpServerOptions? options = null) =>
        ParsedResponse.ParseAll(Serve(requests, handler, options));

    /// <summary>What the connection wrote, unparsed (for responses a client parses with knowledge of the request, like HEAD).</summary>
    public static string RunRaw(string requests, Action<HttpRequest, HttpResponse> handler) =>
        Encoding.Latin1.GetString(Serve(Encoding.Latin1.GetBytes(requests), handler, null));

    private static byte[] Serve(byte[] requests, Action<HttpRequest, HttpResponse> handler, HttpServerOptions? options)
    {
        var stream = new ScriptedStream(requests);
        HubTest.Run(() => new HttpConnection(stream, null, options ?? new HttpServerOptions(), handler, () => false).Serve());
        return stream.Written;
    }

    public static void Hello(HttpRequest request, HttpResponse response)
    {
        response.Headers["Content-Type"] = "text/plain";
        response.Write("Hello, World!");
    }

    /// <summary>Reads from a fixed script, records writes.</summary>
    private sealed class ScriptedStream(byte[] input) : Stream
    {
        private readonly MemoryStream _input = new(input);
        private readonly MemoryStream _output = new();

        public byte[] Written => _output.ToArray();

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => true;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => _input.Read(buffer, offset, count);

        public override void Write(byte[] buffer, int offset, int count) => _output.Write(buffer, offset, count);

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();
    }
}

/// <summary>One response as a client would parse it.</summary>
internal sealed record ParsedResponse(string Version, int Status, List<KeyValuePair<string, string>> Headers, string Body, bool Complete)
{
    public string? Header(string name) =>
        Headers.Where(h => string.Equals(h.Key, name, StringComparison.OrdinalIgnoreCase)).Select(h => h.Value).FirstOrDefault();

    /// <summary>
    /// Splits a byte stream into responses: a 1xx has no body; then Content-Length, chunked, or to the end.
    /// A response cut short is returned with <see cref="Complete"/> false.
    /// </summary>
    public static List<ParsedResponse> ParseAll(byte[] bytes)
    {
        var text = Encoding.Latin1.GetString(bytes);
        var responses = new List<ParsedResponse>();
        var position = 0;
        while (position < text.Length)
        {
            var headEnd = text.IndexOf("\r\n\r\n", position, StringComparison.Ordinal);
            if (headEnd < 0)
            {
                throw new InvalidDataException($"An incomplete response head: {text[position..]}");
            }

            var lines = text[position..headEnd].Split("\r\n");
            var status = lines[0].Split(' ', 3);
            var headers = lines.Skip(1).Select(l => l.Split(':', 2)).Select(p => new KeyValuePair<string, string>(p[0], p[1].Trim())).ToList();
            position = headEnd + 4;
            var response = new ParsedResponse(status[0], int.Parse(status[1]), headers, string.Empty, true);
            if (response.Status < 200)
            {
                responses.Add(response);
                continue;
            }

            if (response.Header("Content-Length") is { } length)
            {
                var count = int.Parse(length);
                var complete = position + count <= text.Length;
                var body = text.Substring(position, Math.Min(count, text.Length - position));
                position += body.Length;
                responses.Add(response with { Body = body, Complete = complete });
            }
            else if (response.Header("Transfer-Encoding") == "chunked")
            {
                var body = new StringBuilder();
                var complete = false;
                while (position < text.Length)
                {
                    var lineEnd = text.IndexOf("\r\n", position, StringComparison.Ordinal);
                    var size = Convert.ToInt32(text[position..lineEnd], 16);
                    position = lineEnd + 2;
                    if (size == 0)
                    {
                        position += 2;
                        complete = true;
                        break;
                    }

                    body.Append(text, position, size);
                    position += size + 2;
                }

                responses.Add(response with { Body = body.ToString(), Complete = complete });
            }
            else
            {
                responses.Add(response with { Body = text[position..] });
                position = text.Length;
            }
        }

        return responses;
    }
}
