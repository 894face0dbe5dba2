using System.Text.Json;

namespace Gevent.Bench;

/// <summary><c>micro --json</c>: one JSON object, gevent_micro.py's keys in its order, a number or null per key
/// (null where the family has no such primitive).</summary>
internal static class JsonOutput
{
    public static string Format(FamilyResults results)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            foreach (var workload in MicroWorkload.All)
            {
                if (results.Get(workload) is { } value)
                {
                    json.WriteNumber(workload.Key, Math.Round(value, 3));
                }
                else
                {
                    json.WriteNull(workload.Key);
                }
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }
}
