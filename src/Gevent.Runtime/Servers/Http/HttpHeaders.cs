using System.Collections;

namespace Gevent.Servers;

/// <summary>
/// HTTP header fields in arrival order, names compared case-insensitively; a name may repeat. Names
/// must be tokens and values may not contain CR, LF or NUL, so a handler can never split a response.
/// </summary>
public sealed class HttpHeaders : IEnumerable<KeyValuePair<string, string>>
{
    private readonly List<KeyValuePair<string, string>> _fields = [];

    /// <summary>How many fields there are (repeated names counted each time).</summary>
    public int Count => _fields.Count;

    /// <summary>The first value of <paramref name="name"/>, or null; setting replaces every value.</summary>
    public string? this[string name]
    {
        get => TryGet(name, out var value) ? value : null;
        set
        {
            Remove(name);
            if (value is not null)
            {
                Add(name, value);
            }
        }
    }

    /// <summary>Adds a field, keeping any existing ones with the same name.</summary>
    /// <exception cref="ArgumentException">The name is not a token, or the value has CR, LF or NUL.</exception>
    public void Add(string name, string value)
    {
        ArgumentNullException.ThrowIfNull(name);
        ArgumentNullException.ThrowIfNull(value);
        if (!HttpSyntax.IsToken(name))
        {
            throw new ArgumentException($"'{name}' is not a valid header name (RFC 9110 token characters only).", nameof(name));
        }

        if (value.AsSpan().IndexOfAny('\r', '\n', '\0') >= 0)
        {
            throw new ArgumentException($"The value of header '{name}' contains CR, LF or NUL, which would split the response.", nameof(value));
        }

        // Span trimming: string.Trim(params char[]) would allocate its array at every call.
        var trimmed = value.AsSpan().Trim(" \t");
        _fields.Add(new(name, trimmed.Length == value.Length ? value : trimmed.ToString()));
    }

    /// <summary>Gets the first value of <paramref name="name"/>.</summary>
    public bool TryGet(string name, out string value)
    {
        foreach (var field in _fields)
        {
            if (string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                value = field.Value;
                return true;
            }
        }

        value = string.Empty;
        return false;
    }

    /// <summary>Every value of <paramref name="name"/>, in order.</summary>
    public IEnumerable<string> GetValues(string name) =>
        _fields.Where(f => string.Equals(f.Key, name, StringComparison.OrdinalIgnoreCase)).Select(f => f.Value);

    /// <summary>True if any field has <paramref name="name"/>.</summary>
    public bool Contains(string name) => TryGet(name, out _);

    /// <summary>Removes every field named <paramref name="name"/>; true if there was one.</summary>
    public bool Remove(string name)
    {
        // A loop rather than RemoveAll with a lambda: the server calls this for every response, and the
        // lambda's closure would be garbage each time.
        var kept = 0;
        for (var i = 0; i < _fields.Count; i++)
        {
            if (!string.Equals(_fields[i].Key, name, StringComparison.OrdinalIgnoreCase))
            {
                _fields[kept++] = _fields[i];
            }
        }

        var removed = _fields.Count - kept;
        _fields.RemoveRange(kept, removed);
        return removed > 0;
    }

    /// <summary>
    /// True if a comma-separated header (e.g. <c>Connection</c>) lists <paramref name="token"/>, in any
    /// of its fields, case-insensitively.
    /// </summary>
    public bool HasToken(string name, string token)
    {
        // Spans, not Split: the server asks this of every request and response.
        foreach (var field in _fields)
        {
            if (!string.Equals(field.Key, name, StringComparison.OrdinalIgnoreCase))
            {
                continue;
            }

            var rest = field.Value.AsSpan();
            while (true)
            {
                var comma = rest.IndexOf(',');
                var item = (comma < 0 ? rest : rest[..comma]).Trim(" \t");
                if (item.Equals(token, StringComparison.OrdinalIgnoreCase))
                {
                    return true;
                }

                if (comma < 0)
                {
                    break;
                }

                rest = rest[(comma + 1)..];
            }
        }

        return false;
    }

    /// <inheritdoc />
    public IEnumerator<KeyValuePair<string, string>> GetEnumerator() => _fields.GetEnumerator();

    IEnumerator IEnumerable.GetEnumerator() => GetEnumerator();

    /// <summary>Adds a field already checked by the request parser.</summary>
    internal void AddParsed(string name, string value) => _fields.Add(new(name, value));

    /// <summary>The field at <paramref name="index"/> in arrival order, if there is one.</summary>
    internal bool TryGetAt(int index, out KeyValuePair<string, string> field)
    {
        if ((uint)index < (uint)_fields.Count)
        {
            field = _fields[index];
            return true;
        }

        field = default;
        return false;
    }
}
