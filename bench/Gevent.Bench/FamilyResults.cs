namespace Gevent.Bench;

/// <summary>
/// What one family (Gevent for .NET, Python gevent, threads, async/await) measured: a figure per
/// <see cref="MicroWorkload.Key"/>, null where the family has no such workload, and a note per row
/// saying what stood in for it when that is not obvious.
/// </summary>
internal sealed class FamilyResults(string family)
{
    private readonly Dictionary<string, double?> _values = [];
    private readonly Dictionary<string, string> _notes = [];

    public string Family { get; } = family;

    /// <summary>Why the family has no figures at all (e.g. gevent not installed), or null.</summary>
    public string? Unavailable { get; init; }

    /// <param name="note">What the family measures <paramref name="workload"/> with, when the table should say so.</param>
    public void Set(MicroWorkload workload, double? value, string? note = null)
    {
        _values[workload.Key] = value;
        if (note is not null)
        {
            _notes[workload.Key] = note;
        }
    }

    public double? Get(MicroWorkload workload) => _values.GetValueOrDefault(workload.Key);

    public string? NoteFor(MicroWorkload workload) => _notes.GetValueOrDefault(workload.Key);
}
