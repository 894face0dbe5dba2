namespace Gevent.Servers;

/// <summary>Character classes of HTTP/1.1 (RFC 9110/9112), on text and on the raw bytes of a request head.</summary>
internal static class HttpSyntax
{
    private const string Token = "!#$%&'*+-.^_`|~0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz";

    private static readonly System.Buffers.SearchValues<char> s_tokenChars = System.Buffers.SearchValues.Create(Token);

    private static readonly System.Buffers.SearchValues<byte> s_tokenBytes = System.Buffers.SearchValues.Create(System.Text.Encoding.ASCII.GetBytes(Token));

    public static bool IsToken(ReadOnlySpan<char> text) => !text.IsEmpty && !text.ContainsAnyExcept(s_tokenChars);

    public static bool IsToken(ReadOnlySpan<byte> text) => !text.IsEmpty && !text.ContainsAnyExcept(s_tokenBytes);

    /// <summary>A field value may hold visible characters, spaces, tabs and obs-text, never controls.</summary>
    public static bool IsFieldValue(ReadOnlySpan<char> text)
    {
        foreach (var c in text)
        {
            if (!IsFieldValueChar(c))
            {
                return false;
            }
        }

        return true;
    }

    /// <summary><see cref="IsFieldValue(ReadOnlySpan{char})"/> on Latin-1 bytes, which map one to one onto characters.</summary>
    public static bool IsFieldValue(ReadOnlySpan<byte> text)
    {
        foreach (var b in text)
        {
            if (!IsFieldValueChar((char)b))
            {
                return false;
            }
        }

        return true;
    }

    private static bool IsFieldValueChar(char c) => (c >= 0x20 || c == '\t') && c != 0x7f;
}
