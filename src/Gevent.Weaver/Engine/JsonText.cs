using System.Globalization;
using System.Text;

namespace Gevent.Weaving;

/// <summary>
/// A minimal JSON writer for the report: netstandard2.0 has no System.Text.Json, and a package for
/// it would have to be shipped inside the Fody weaver.
/// </summary>
internal sealed class JsonText
{
    private readonly StringBuilder text = new();
    private bool needsComma;

    public void BeginObject() => Open('{', null);

    public void BeginArray(string name) => Open('[', name);

    public void EndObject() => Close('}');

    public void EndArray() => Close(']');

    public void Property(string name, string? value) => Value(name, value is null ? "null" : Quote(value));

    public void Property(string name, int? value) => Value(name, value?.ToString(CultureInfo.InvariantCulture) ?? "null");

    public void Property(string name, bool value) => Value(name, value ? "true" : "false");

    public override string ToString() => text.ToString();

    private void Open(char bracket, string? name)
    {
        Separate(name);
        text.Append(bracket);
        needsComma = false;
    }

    private void Close(char bracket)
    {
        text.Append(bracket);
        needsComma = true;
    }

    private void Value(string name, string literal)
    {
        Separate(name);
        text.Append(literal);
        needsComma = true;
    }

    private void Separate(string? name)
    {
        if (needsComma)
        {
            text.Append(',');
        }

        if (name is not null)
        {
            text.Append(Quote(name)).Append(':');
        }
    }

    private static string Quote(string value)
    {
        var quoted = new StringBuilder("\"");
        foreach (var c in value)
        {
            _ = c switch
            {
                '"' => quoted.Append("\\\""),
                '\\' => quoted.Append("\\\\"),
                < ' ' => quoted.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture)),
                _ => quoted.Append(c),
            };
        }

        return quoted.Append('"').ToString();
    }
}
