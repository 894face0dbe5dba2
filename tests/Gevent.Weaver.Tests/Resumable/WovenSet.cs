using System.Reflection;
using System.Runtime.Loader;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>Woven assemblies loaded together in a context of their own, in the order woven, with their images.</summary>
internal sealed class WovenSet : AssemblyLoadContext
{
    private readonly Dictionary<string, Assembly> _byName = new();

    private WovenSet(string name)
        : base("woven " + name)
    {
    }

    /// <summary>The woven assemblies.</summary>
    public List<Assembly> Woven { get; } = new();

    /// <summary>Their images, for tests that read the woven IL.</summary>
    public List<byte[]> Images { get; } = new();

    /// <summary>The woven assembly named <paramref name="name"/>.</summary>
    public Assembly this[string name] => _byName[name];

    public static WovenSet Load(string name, IReadOnlyList<byte[]> images)
    {
        var set = new WovenSet(name);
        foreach (var image in images)
        {
            var assembly = set.LoadFromStream(new MemoryStream(image));
            set.Woven.Add(assembly);
            set.Images.Add(image);
            set._byName.Add(assembly.GetName().Name!, assembly);
        }

        return set;
    }

    // A woven assembly's reference to another of the set binds to its woven copy; the rest (the runtime) to the default context's.
    protected override Assembly? Load(AssemblyName assemblyName) => _byName.GetValueOrDefault(assemblyName.Name!);
}
