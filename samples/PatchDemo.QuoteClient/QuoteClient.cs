using System.Net.Sockets;

namespace PatchDemo.QuoteClient;

/// <summary>
/// A client library written the classic way — blocking sockets, a StreamReader — with no reference to
/// Gevent: the kind of third-party DLL gevent-patch exists for.
/// </summary>
public static class QuoteClient
{
    /// <summary>Asks the quote server at <paramref name="host"/>:<paramref name="port"/> for the quote of <paramref name="symbol"/>.</summary>
    public static string GetQuote(string host, int port, string symbol)
    {
        using var client = new TcpClient(host, port);
        using var stream = client.GetStream();
        using var writer = new StreamWriter(stream) { AutoFlush = true };
        using var reader = new StreamReader(stream);
        writer.WriteLine(symbol);
        return reader.ReadLine() ?? throw new IOException("the quote server closed the connection");
    }
}
