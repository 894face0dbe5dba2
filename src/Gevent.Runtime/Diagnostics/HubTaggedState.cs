namespace Gevent;

/// <summary>
/// A log entry's state with its hub added as the <see cref="GeventMetrics.HubTag"/> field, first; the entry's own
/// fields follow in their order (a message template's <c>{OriginalFormat}</c> stays last, where providers look for it),
/// and its text is the entry's own.
/// </summary>
/// <typeparam name="TState">The entry's own state.</typeparam>
internal sealed class HubTaggedState<TState>(TState inner, int hub, Func<TState, Exception?, string> formatter)
    : IReadOnlyList<KeyValuePair<string, object?>>
{
    private readonly IReadOnlyList<KeyValuePair<string, object?>> _fields = inner as IReadOnlyList<KeyValuePair<string, object?>> ?? [];

    public int Count => _fields.Count + 1;

    public KeyValuePair<string, object?> this[int index] => index == 0 ? new(GeventMetrics.HubTag, hub) : _fields[index - 1];

    /// <summary>The entry's text, as its own formatter writes it.</summary>
    public string Format(Exception? exception) => formatter(inner, exception);

    public IEnumerator<KeyValuePair<string, object?>> GetEnumerator()
    {
        yield return this[0];
        foreach (var field in _fields)
        {
            yield return field;
        }
    }

    System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();

    public override string? ToString() => inner?.ToString();
}
