using System;
using System.Collections.Generic;
using System.IO;
using System.Linq;
using Gevent.Weaver;
using Mono.Cecil;

/// <summary>
/// <c>PatchReferences</c>: patches chosen copy-local references into a cache folder under obj/ and
/// swaps the cached copies into <c>ReferenceCopyLocalPaths</c>, so the output folder gets them. A
/// stamp beside each cached copy (marker, source path and time) makes an unchanged reference free.
/// The swapped originals are listed in <see cref="ListFile"/> for the package's build targets, which
/// redo the swap on builds where Fody does not run (nothing was compiled).
/// </summary>
internal sealed class ReferencePatcher(List<string> copyLocalPaths, string cacheDirectory, ModulePatcher patcher, IAssemblyResolver resolver)
{
    /// <summary>The list of swapped originals, one path per line (read by build/Gevent.Fody.targets).</summary>
    public const string ListFile = "patched-references.txt";

    /// <summary>Patches each named reference (when its cache is stale) and returns the reports of those patched now.</summary>
    public IEnumerable<WeaveReport> Patch(IReadOnlyList<string> names)
    {
        var reports = new List<WeaveReport>();
        var swapped = new List<string>();
        foreach (var name in names)
        {
            var index = copyLocalPaths.FindIndex(p => IsAssembly(p, name));
            if (index < 0)
            {
                var available = string.Join(", ", copyLocalPaths.Where(p => p.EndsWith(".dll", StringComparison.OrdinalIgnoreCase)).Select(Path.GetFileNameWithoutExtension).Take(20));
                throw new Gevent.Weaver.WeavingException($"Gevent: PatchReferences names '{name}', which is not a copy-local reference of this project; allowed: {available}.");
            }

            var source = copyLocalPaths[index];
            var cached = Path.Combine(cacheDirectory, Path.GetFileName(source));
            var stampPath = cached + ".gevent-stamp";
            var stamp = $"{PatchMarker.For(patcher.Catalog)}\n{source}\n{File.GetLastWriteTimeUtc(source).Ticks}";
            if (!File.Exists(cached) || !File.Exists(stampPath) || File.ReadAllText(stampPath) != stamp)
            {
                Directory.CreateDirectory(cacheDirectory);
                reports.Add(AssemblyFilePatcher.Patch(source, cached, patcher, resolver));
                File.WriteAllText(stampPath, stamp);
            }

            copyLocalPaths[index] = cached;
            swapped.Add(source);
            var symbols = copyLocalPaths.FindIndex(p => p == Path.ChangeExtension(source, ".pdb"));
            if (symbols >= 0 && File.Exists(Path.ChangeExtension(cached, ".pdb")))
            {
                copyLocalPaths[symbols] = Path.ChangeExtension(cached, ".pdb");
                swapped.Add(Path.ChangeExtension(source, ".pdb"));
            }
        }

        var list = Path.Combine(cacheDirectory, ListFile);
        if (swapped.Count > 0)
        {
            File.WriteAllLines(list, swapped);
        }
        else if (File.Exists(list))
        {
            File.Delete(list);
        }

        return reports;
    }

    private static bool IsAssembly(string path, string name) =>
        path.EndsWith(".dll", StringComparison.OrdinalIgnoreCase) && Path.GetFileNameWithoutExtension(path) == name;
}
