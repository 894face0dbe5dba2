using System.Reflection;
using System.Runtime.CompilerServices;
using System.Runtime.Loader;
using Gevent.Weaver;
using Mono.Cecil;
using TypeFilter = Gevent.Weaver.TypeFilter;

namespace Gevent.Weaver.Tests.Editing;

/// <summary>
/// AssemblyToProcess with probes inserted by a <see cref="ProbePass"/> run through the engine's pipeline,
/// written with its symbols and loaded into a collectible context of its own, beside the original.
/// </summary>
internal sealed class EditedAssembly : IDisposable
{
    public const string TypeName = "AssemblyToProcess.Editing";

    private readonly AssemblyLoadContext _context;
    private readonly Type _type;

    private EditedAssembly(string path)
    {
        _context = new AssemblyLoadContext(path, isCollectible: true);
        _type = _context.LoadFromAssemblyPath(path).GetType(TypeName, throwOnError: true)!;
    }

    /// <summary>The edited module as written (read back with its symbols).</summary>
    public required string Path { get; init; }

    /// <summary>Runs <paramref name="edit"/> on <paramref name="method"/> of <c>Editing</c> and writes the result into <paramref name="folder"/>.</summary>
    public static EditedAssembly Create(string folder, string method, Action<ProbeSite> edit)
    {
        using var resolver = new DefaultAssemblyResolver();
        resolver.AddSearchDirectory(AppContext.BaseDirectory);
        var path = System.IO.Path.Combine(folder, "AssemblyToProcess.dll");
        using (var module = ModuleDefinition.ReadModule(Woven.OriginalPath, new ReaderParameters { AssemblyResolver = resolver, ReadSymbols = true, InMemory = true }))
        {
            var report = new WeaveReport(module.Assembly.Name.Name, "test", alreadyPatched: false);
            new WeavingPipeline(new TypeFilter([TypeName], []), [new ProbePass(method, edit)]).Run(module, report);
            module.Write(path, new WriterParameters { WriteSymbols = true });
        }

        return new EditedAssembly(path) { Path = path };
    }

    /// <summary>The sum of the weights of the probes that ran.</summary>
    public int Probes
    {
        get => (int)Property("Probes").GetValue(null)!;
        set => Property("Probes").SetValue(null, value);
    }

    /// <summary>Makes every probe throw <c>ProbeException</c> after counting.</summary>
    public bool ProbesThrow
    {
        set => Property("ProbesThrow").SetValue(null, value);
    }

    /// <summary>Calls <paramref name="method"/> of the edited <c>Editing</c> (or of the original one), exceptions unwrapped.</summary>
    public object? Call(string method, params object[] arguments) => Call(_type, method, arguments);

    public static object? CallOriginal(string method, params object[] arguments) => Call(typeof(AssemblyToProcess.Editing), method, arguments);

    /// <summary>JIT-compiles the edited method (over <paramref name="typeArguments"/> when it is generic): invalid IL throws here.</summary>
    public void Compile(string method, params Type[] typeArguments) =>
        RuntimeHelpers.PrepareMethod(_type.GetMethod(method)!.MethodHandle, typeArguments.Select(t => t.TypeHandle).ToArray());

    public void Dispose() => _context.Unload();

    private static object? Call(Type type, string method, object[] arguments)
    {
        var target = type.GetMethod(method)!;
        if (target.IsGenericMethodDefinition)
        {
            target = target.MakeGenericMethod(arguments[0].GetType());
        }

        return target.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null);
    }

    private PropertyInfo Property(string name) => _type.GetProperty(name)!;
}
