namespace Gevent.Servers;

/// <summary>Character classes of HTTP/1.1 (RFC 9110/9112).</summary>
internal static class HttpSyntax
{
    private static readonly System.Buffers.SearchValues<char> TokenChars =
        System.Buffers.SearchValues.Create("!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(TokenChars);

    /// <summary>A field value may hold visible characters, spaces, tabs and obs-text, never controls.</summary>
    public static bool IsFieldValue(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if ((c < 0x20 && c != '\t') || c == 0x7f)
            {
                return false;
            }
        }

        return true;
    }
}
