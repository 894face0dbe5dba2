using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// The runtime's frame contract (<c>Gevent.CompilerServices</c>: <c>FrameStack</c>, <c>ResumableFrame</c>,
/// <c>[Resumable]</c>) imported into one module, read from the runtime module the catalog's replacements live in.
/// </summary>
internal sealed class FrameContract
{
    private const string Namespace = "Gevent.CompilerServices";

    /// <summary>The full name of the mark a method that follows the contract carries (<c>[Resumable]</c>).</summary>
    public const string ResumableAttributeName = Namespace + ".ResumableAttribute";

    private readonly MethodReference _startStateMachine;

    private FrameContract(ModuleDefinition module, ModuleDefinition runtime)
    {
        var stack = Type(runtime, "FrameStack");
        var frame = Type(runtime, "ResumableFrame");
        var resumable = Type(runtime, "ResumableAttribute");
        FrameStack = module.ImportReference(stack);
        ResumableFrame = module.ImportReference(frame);
        Current = Import(module, stack, "get_Current");
        Enter = Import(module, stack, "Enter");
        IsResuming = Import(module, stack, "get_IsResuming");
        IsSuspending = Import(module, stack, "get_IsSuspending");
        Link = Import(module, stack, "Link");
        LinkVirtual = Import(module, stack, "LinkVirtual");
        Pop = Import(module, stack, "Pop");
        Push = Import(module, stack, "Push");
        GetState = Import(module, frame, "get_State");
        SetState = Import(module, frame, "set_State");
        FrameConstructor = module.ImportReference(frame.Methods.Single(m => m.IsConstructor && !m.IsStatic));
        ResumableAttribute = module.ImportReference(resumable.Methods.Single(m => m.IsConstructor && !m.IsStatic && !m.HasParameters));
        _startStateMachine = Import(module, Type(runtime, "AsyncStateMachineStart"), "Start");
    }

    public TypeReference FrameStack { get; }

    public TypeReference ResumableFrame { get; }

    public MethodReference Current { get; }

    public MethodReference Enter { get; }

    public MethodReference IsResuming { get; }

    public MethodReference IsSuspending { get; }

    public MethodReference Link { get; }

    /// <summary><c>FrameStack.LinkVirtual(receiver, method, declaringType)</c>: links a virtual call only where the receiver runs a resumable method.</summary>
    public MethodReference LinkVirtual { get; }

    public MethodReference Pop { get; }

    public MethodReference Push { get; }

    public MethodReference GetState { get; }

    public MethodReference SetState { get; }

    public MethodReference FrameConstructor { get; }

    public MethodReference ResumableAttribute { get; }

    /// <summary>
    /// The runtime's resumable start (<c>AsyncStateMachineStart.Start&lt;TBuilder, TStateMachine&gt;</c>) to call in
    /// place of <paramref name="builderStart"/>, a builder's <c>Start&lt;TStateMachine&gt;</c> (<see cref="AsyncBuilderStart"/>).
    /// </summary>
    public MethodReference StartInPlaceOf(GenericInstanceMethod builderStart) =>
        new GenericInstanceMethod(_startStateMachine) { GenericArguments = { builderStart.DeclaringType, builderStart.GenericArguments[0] } };

    /// <summary>The contract for <paramref name="module"/>, or null when the catalog's runtime has none (an older runtime).</summary>
    public static FrameContract? For(ModuleDefinition module, PatchCatalog catalog)
    {
        var runtime = RuntimeOf(catalog);
        return runtime?.GetType(Namespace, "FrameStack") is null ? null : new FrameContract(module, runtime);
    }

    /// <summary>The runtime module the catalog's replacements live in, or null for an empty catalog.</summary>
    public static ModuleDefinition? RuntimeOf(PatchCatalog catalog) => catalog.Entries.FirstOrDefault()?.Replacement.Module;

    /// <summary>Whether <paramref name="method"/> carries <c>[Resumable]</c>: it follows the contract.</summary>
    public static bool IsResumable(MethodDefinition method) => method.CustomAttributes.Any(a => a.AttributeType.FullName == ResumableAttributeName);

    private static TypeDefinition Type(ModuleDefinition runtime, string name) =>
        runtime.GetType(Namespace, name) ?? throw new WeavingException($"{runtime.Assembly.Name.Name} lacks {Namespace}.{name}: the frame contract of tier 2 is incomplete.");

    private static MethodReference Import(ModuleDefinition module, TypeDefinition type, string name) =>
        module.ImportReference(type.Methods.SingleOrDefault(m => m.Name == name)
            ?? throw new WeavingException($"{type.Module.Assembly.Name.Name} lacks {type.FullName}.{name}: the frame contract of tier 2 is incomplete (a runtime older than the weaver)."));
}
