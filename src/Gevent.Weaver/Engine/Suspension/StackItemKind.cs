namespace Gevent.Weaver;

/// <summary>What the analysis needs to know of an evaluation-stack item or a local: whether a heap frame could hold it.</summary>
internal enum StackItemKind
{
    /// <summary>An object reference or a plain value: a frame field can hold it.</summary>
    Value,

    /// <summary>A managed pointer.</summary>
    ByRef,

    /// <summary>A ref struct (<c>Span&lt;T&gt;</c>…).</summary>
    RefStruct,

    /// <summary>A pointer to <c>localloc</c> memory, or derived from one.</summary>
    LocalAllocPointer,
}
