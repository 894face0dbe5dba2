using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver;

/// <summary>What the engine found at one place of the patched code.</summary>
public enum WeaveSiteKind
{
    /// <summary>A blocking call rewritten to its cooperative replacement.</summary>
    Rewritten,

    /// <summary>A call to a patched member that could not be rewritten safely; it still blocks.</summary>
    Skipped,

    /// <summary>A P/Invoke declaration of a blocking native function; calls to it block the hub.</summary>
    BlockingNative,

    /// <summary>A reflection lookup of a patched member; invocations through it are not rewritten.</summary>
    BlockingReflection,
}

/// <summary>One line of the report: where, what, and what became of it.</summary>
public sealed class WeaveSite
{
    internal WeaveSite(WeaveSiteKind kind, MethodDefinition method, Instruction? instruction, string original, string detail)
    {
        Kind = kind;
        Type = method.DeclaringType.FullName;
        Method = method.Name;
        Offset = instruction?.Offset ?? 0;
        Original = original;
        Detail = detail;
        SequencePoint = instruction is null ? null : NearestSequencePoint(method, instruction.Offset);
    }

    /// <summary>What was found.</summary>
    public WeaveSiteKind Kind { get; }

    /// <summary>Full name of the type whose method holds the site.</summary>
    public string Type { get; }

    /// <summary>Name of the method holding the site.</summary>
    public string Method { get; }

    /// <summary>IL offset of the instruction in the original method body.</summary>
    public int Offset { get; }

    /// <summary>The blocking member (or native function) involved.</summary>
    public string Original { get; }

    /// <summary>The replacement for a rewritten site; otherwise why it still blocks.</summary>
    public string Detail { get; }

    /// <summary>The source line of the site, when the assembly has symbols.</summary>
    public SequencePoint? SequencePoint { get; }

    /// <summary>Source file of the site, or null without symbols.</summary>
    public string? File => SequencePoint?.Document.Url;

    /// <summary>Source line of the site, or null without symbols.</summary>
    public int? Line => SequencePoint?.StartLine;

    /// <summary>One line for people: <c>file:line: Type.Method+IL_0012: original → detail</c>.</summary>
    public override string ToString()
    {
        var where = File is null ? "" : $"{File}:{Line}: ";
        var arrow = Kind == WeaveSiteKind.Rewritten ? " -> " : ": ";
        return $"{where}{Type}.{Method}+IL_{Offset:x4}: {Original}{arrow}{Detail}";
    }

    private static SequencePoint? NearestSequencePoint(MethodDefinition method, int offset)
    {
        SequencePoint? nearest = null;
        foreach (var point in method.DebugInformation.SequencePoints)
        {
            if (point.Offset <= offset && !point.IsHidden && (nearest is null || point.Offset >= nearest.Offset))
            {
                nearest = point;
            }
        }

        return nearest;
    }
}
