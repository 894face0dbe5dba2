using System;
using System.Collections.Generic;
using System.Linq;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Finds the catalog assemblies for a module: <c>Gevent.Runtime</c> first (its patches win a
/// conflict), then every assembly the module references that itself references the runtime and
/// declares patches (add-on or test catalogs).
/// </summary>
public static class CatalogLocator
{
    /// <summary>The catalog for <paramref name="module"/>, given the runtime module and a resolver for references.</summary>
    public static PatchCatalog Find(ModuleDefinition module, ModuleDefinition runtime, Func<AssemblyNameReference, AssemblyDefinition?> resolve)
    {
        var catalogs = new List<ModuleDefinition> { runtime };
        foreach (var reference in module.AssemblyReferences.Where(r => r.Name != CatalogReader.RuntimeAssemblyName))
        {
            if (resolve(reference)?.MainModule is { } referenced
                && referenced.AssemblyReferences.Any(r => r.Name == CatalogReader.RuntimeAssemblyName)
                && CatalogReader.IsCatalog(referenced))
            {
                catalogs.Add(referenced);
            }
        }

        return CatalogReader.Read(catalogs);
    }

    /// <summary>The error for a project that does not reference the runtime.</summary>
    public static string MissingRuntimeMessage(string assembly) =>
        $"{assembly} does not reference {CatalogReader.RuntimeAssemblyName}: add the {CatalogReader.RuntimeAssemblyName} package (dotnet add package {CatalogReader.RuntimeAssemblyName}); patched code calls its replacements.";
}
