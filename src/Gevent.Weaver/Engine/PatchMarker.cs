using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// The one marker a patched assembly carries: <c>[assembly: AssemblyMetadata("Gevent.Patched", "engine …; catalog …")]</c>.
/// Same marker: already patched, nothing to do. Another marker: refused, never stacked.
/// </summary>
public static class PatchMarker
{
    /// <summary>The <c>AssemblyMetadataAttribute</c> key of the marker.</summary>
    public const string Key = "Gevent.Patched";

    private const string AttributeNamespace = "System.Reflection";
    private const string AttributeName = "AssemblyMetadataAttribute";

    /// <summary>The marker this engine writes with <paramref name="catalog"/>.</summary>
    public static string For(PatchCatalog catalog) =>
        $"engine {typeof(PatchMarker).Assembly.GetName().Version}; catalog {catalog.Hash}";

    /// <summary>The marker <paramref name="module"/> carries, or null when it was never patched.</summary>
    public static string? Read(ModuleDefinition module) =>
        module.Assembly.CustomAttributes
            .Where(a => a.AttributeType.FullName == AttributeNamespace + "." + AttributeName && a.ConstructorArguments.Count == 2)
            .Where(a => (string)a.ConstructorArguments[0].Value == Key)
            .Select(a => (string)a.ConstructorArguments[1].Value)
            .FirstOrDefault();

    /// <summary>Adds <paramref name="marker"/> through the module's own core library reference.</summary>
    public static void Write(ModuleDefinition module, string marker)
    {
        var types = module.TypeSystem;
        var attributeType = new TypeReference(AttributeNamespace, AttributeName, module, types.CoreLibrary);
        var constructor = new MethodReference(".ctor", types.Void, attributeType) { HasThis = true };
        constructor.Parameters.Add(new ParameterDefinition(types.String));
        constructor.Parameters.Add(new ParameterDefinition(types.String));
        var attribute = new CustomAttribute(constructor);
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(types.String, Key));
        attribute.ConstructorArguments.Add(new CustomAttributeArgument(types.String, marker));
        module.Assembly.CustomAttributes.Add(attribute);
    }
}
