using System;
using System.Collections.Generic;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// What a generic base-library method does with its type arguments, for the call graph's callbacks: by default it may run
/// any method of a woven type argument that outside code may enter (an async builder's <c>Start</c> runs the state
/// machine's <c>MoveNext</c>, a sort its comparer). Some are known to run less, from what their code can call:
/// <c>Interlocked</c>'s and <c>Volatile</c>'s members only move a reference, <c>CreateLogger&lt;T&gt;</c> and the
/// <c>Channel</c> factories only name the type or store its values, and a builder's <c>AwaitOnCompleted</c> only
/// schedules <c>MoveNext</c> (none); an interpolated string handler's <c>AppendFormatted&lt;T&gt;</c> formats the value
/// (<c>ISpanFormattable.TryFormat</c>, <c>IFormattable.ToString</c> or <c>ToString()</c>: only those). Matched by name, as
/// the analysis reads callees it need not resolve; only base-library types are listed, whose code is known.
/// </summary>
internal static class TypeArgumentUses
{
    private static readonly HashSet<string> s_handlers =
    [
        "System.Runtime.CompilerServices.DefaultInterpolatedStringHandler",
        "System.Text.StringBuilder/AppendInterpolatedStringHandler",
        "System.MemoryExtensions/TryWriteInterpolatedStringHandler",
        "System.Text.Unicode.Utf8/TryWriteInterpolatedStringHandler",
        "System.Diagnostics.Debug/AssertInterpolatedStringHandler",
        "System.Diagnostics.Debug/WriteIfInterpolatedStringHandler",
    ];

    /// <summary>What <paramref name="callee"/> may run of the woven types it is instantiated over.</summary>
    public static TypeArgumentUse Of(MethodReference callee)
    {
        var type = callee.DeclaringType.GetElementType();
        return (type.Namespace, type.Name, callee.Name) switch
        {
            ("System.Threading", "Interlocked" or "Volatile", _) => TypeArgumentUse.None,
            ("Microsoft.Extensions.Logging", "LoggerFactoryExtensions", "CreateLogger") => TypeArgumentUse.None,
            ("System.Threading.Channels", "Channel", "CreateUnbounded" or "CreateBounded") => TypeArgumentUse.None,
            ("System.Runtime.CompilerServices", _, _) when callee.Name.StartsWith("Await", StringComparison.Ordinal) => TypeArgumentUse.None,
            _ when callee.Name == "AppendFormatted" && s_handlers.Contains(type.FullName) => TypeArgumentUse.Formatting,
            _ => TypeArgumentUse.AnyEnteredMethod,
        };
    }

    /// <summary>Whether <paramref name="method"/> formats its object: a <c>ToString</c> or <c>TryFormat</c>, implicit or an explicit implementation.</summary>
    public static bool IsFormatting(MethodDefinition method) =>
        method.Name is "ToString" or "TryFormat"
        || method.Name.EndsWith(".ToString", StringComparison.Ordinal) || method.Name.EndsWith(".TryFormat", StringComparison.Ordinal);
}
