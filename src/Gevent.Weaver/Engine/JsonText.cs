using System.Globalization;
using System.Text;

namespace Gevent.Weaver;

/// <summary>
/// A minimal JSON writer for the report: netstandard2.0 has no System.Text.Json, and a package for
/// it would have to be shipped inside the Fody weaver.
/// </summary>
internal sealed class JsonText
{
    private readonly StringBuilder _text = new();
    private bool _needsComma;

    public void BeginObject() => Open('{', null);

    public void BeginArray(string name) => Open('[', name);

    public void EndObject() => Close('}');

    public void EndArray() => Close(']');

    public void Property(string name, string? value) => Value(name, value is null ? "null" : Quote(value));

    public void Property(string name, int? value) => Value(name, value?.ToString(CultureInfo.InvariantCulture) ?? "null");

    public void Property(string name, bool value) => Value(name, value ? "true" : "false");

    public override string ToString() => _text.ToString();

    private void Open(char bracket, string? name)
    {
        Separate(name);
        _text.Append(bracket);
        _needsComma = false;
    }

    private void Close(char bracket)
    {
        _text.Append(bracket);
        _needsComma = true;
    }

    private void Value(string name, string literal)
    {
        Separate(name);
        _text.Append(literal);
        _needsComma = true;
    }

    private void Separate(string? name)
    {
        if (_needsComma)
        {
            _text.Append(',');
        }

        if (name is not null)
        {
            _text.Append(Quote(name)).Append(':');
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
