using Gevent.Cli.Files;
using Gevent.Cli.Inputs;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Cli.Patching;

/// <summary>
/// Patches inputs end to end: refuses what cannot be patched before anything is written, weaves the others
/// together (one at a time, or all of a run's when their calls into each other must link), keeps a backup when
/// patching in place, and writes through a temporary file, so on every path a target is either the original or
/// the fully patched assembly. Also serves <c>scan</c> (a dry run), which may keep each patched module in memory
/// for the analysis of the whole set (<paramref name="kept"/>).
/// </summary>
internal sealed class FilePatcher(PatchEngine engine, PatchOptions options, List<Analysis>? kept = null)
{
    /// <summary>
    /// Handles <paramref name="inputs"/>, woven in one run, and returns their outcomes in order; never throws for a
    /// bad input. <paramref name="proceed"/> is asked before each input is read: once it says no (the run is
    /// interrupted), none of these inputs is written and no outcome is returned.
    /// </summary>
    public IReadOnlyList<Outcome> Patch(IReadOnlyList<Input> inputs, Func<Input, bool> proceed)
    {
        var outcomes = new Outcome?[inputs.Count];
        var loaded = new List<LoadedAssembly>();
        var places = new List<int>();
        try
        {
            for (var i = 0; i < inputs.Count; i++)
            {
                if (!proceed(inputs[i]))
                {
                    return [];
                }

                if (Load(inputs[i], out var assembly) is { } refusal)
                {
                    outcomes[i] = refusal;
                }
                else
                {
                    loaded.Add(assembly!);
                    places.Add(i);
                }
            }

            var woven = Weave(loaded);
            for (var i = 0; i < woven.Count; i++)
            {
                outcomes[places[i]] = woven[i];
            }

            return outcomes.OfType<Outcome>().ToList();
        }
        finally
        {
            foreach (var assembly in loaded.Where(a => kept is null || !kept.Any(k => ReferenceEquals(k.Loaded, a))))
            {
                assembly.Dispose();
            }
        }
    }

    /// <summary>Reads and checks <paramref name="input"/>; its refusal, or null with <paramref name="assembly"/> set.</summary>
    private Outcome? Load(Input input, out LoadedAssembly? assembly)
    {
        assembly = null;
        if (AssemblyProbe.Check(input.Path) is { } refusal)
        {
            return refusal.IsSkipOf(input)
                ? new Outcome(input, OutcomeKind.Skipped, refusal.Message, [], null)
                : Outcome.Failure(input, refusal.Message);
        }

        if (!options.DryRun && options.TargetOf(input) == input.Path && IsReadOnly(input.Path))
        {
            return Outcome.Failure(input, "is read-only: make it writable (chmod u+w) or write the patched copy elsewhere with -o DIR.");
        }

        try
        {
            assembly = engine.Load(input);
        }
        catch (WeavingException e)
        {
            return Outcome.Failure(input, e.Message);
        }
        catch (AssemblyResolutionException e)
        {
            return Outcome.Failure(input, $"needs {e.AssemblyReference.FullName}, which is neither beside it nor in the shared framework: copy it next to the input.");
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            return Corrupt(input, e);
        }

        // Refused before weaving: an input woven with others would have them link into code that is never written.
        var name = assembly.Module.Assembly.Name;
        var failure = name.Name == CatalogReader.RuntimeAssemblyName
            // Its replacements call the originals outside greenlets: rewritten, they would call themselves.
            ? "is the Gevent runtime itself, which is never patched: it is what patched code calls."
            : name.HasPublicKey && options.Key is { } key && !key.PublicKey.AsSpan().SequenceEqual(name.PublicKey)
                ? "is strong-named with another key than --key: signing with it would change the assembly's identity."
                : null;
        if (failure is null)
        {
            return null;
        }

        assembly.Dispose();
        assembly = null;
        return Outcome.Failure(input, failure);
    }

    /// <summary>Weaves <paramref name="loaded"/> in one run, then writes each; their outcomes.</summary>
    private IReadOnlyList<Outcome> Weave(IReadOnlyList<LoadedAssembly> loaded)
    {
        IReadOnlyList<Analysis> analyses;
        try
        {
            analyses = engine.Weave(loaded);
        }
        catch (Exception e) when (e is not OutOfMemoryException)
        {
            // Damaged metadata makes Cecil fail in many ways, as late as when a body is read; with several inputs in
            // the run the one at fault is not known, so each fails and is left as it was.
            return loaded.Select(a => loaded.Count == 1
                ? e is WeavingException ? Outcome.Failure(a.Input, e.Message) : Corrupt(a.Input, e)
                : Outcome.Failure(a.Input, $"was woven together with {loaded.Count - 1} other inputs, and weaving them failed ({e.GetType().Name}: {e.Message}): patch the inputs one by one to find the one at fault.")).ToList();
        }

        return analyses.Select(a => Written(a, together: analyses.Count > 1)).ToList();
    }

    private Outcome Written(Analysis analysis, bool together)
    {
        var input = analysis.Loaded.Input;
        var target = options.TargetOf(input);
        try
        {
            var outcome = Complete(input, target, analysis);
            if (kept is not null && outcome.Kind != OutcomeKind.Failed)
            {
                kept.Add(analysis);
            }

            return outcome;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            // The others of the run are written: their calls into this one may link to frames it does not have.
            var linked = together ? " The inputs woven with it were written and may call into its resumable methods: patch them all again once it can be written." : "";
            return Outcome.Failure(input, $"cannot be written to {target}: {e.Message}{linked}");
        }
    }

    private Outcome Complete(Input input, string target, Analysis analysis)
    {
        var warnings = Warnings(analysis).ToList();
        var name = analysis.Module.Assembly.Name;
        var key = name.HasPublicKey ? options.Key : null;
        if (!analysis.Changes)
        {
            if (!options.DryRun && target != input.Path)
            {
                CopyUnchanged(input.Path, target);
            }

            var kind = analysis.Report.AlreadyPatched ? OutcomeKind.AlreadyPatched : OutcomeKind.NothingToPatch;
            return new Outcome(input, kind, null, warnings, analysis.Report);
        }

        if (name.HasPublicKey)
        {
            warnings.Add(key is null
                ? "strong-named: identity kept (same public key), but the patched file is not signed: .NET Core and later do not check, .NET Framework does; pass --key to re-sign."
                : "strong-named: re-signed with --key.");
        }

        if (!options.DryRun)
        {
            if (options.Backup && target == input.Path)
            {
                Backups.Save(input.Path);
            }

            AssemblyFilePatcher.Write(analysis.Module, target, key?.Blob);
        }

        return new Outcome(input, OutcomeKind.Patched, null, warnings, analysis.Report) { RuntimePath = analysis.Loaded.RuntimePath };
    }

    private static Outcome Corrupt(Input input, Exception e) =>
        Outcome.Failure(input, $"is corrupt: its metadata cannot be read ({e.GetType().Name}: {e.Message}).");

    private static IEnumerable<string> Warnings(Analysis analysis)
    {
        if (analysis.Loaded.Unresolved.Count > 0)
        {
            yield return $"references not found beside it: {string.Join(", ", analysis.Loaded.Unresolved)} (a patch catalog in them, if any, was not applied).";
        }

        foreach (var conflict in analysis.Loaded.Conflicts)
        {
            yield return conflict;
        }

        foreach (var site in analysis.Report.Warnings)
        {
            yield return $"still blocks: {site}";
        }
    }

    private static void CopyUnchanged(string source, string target)
    {
        AtomicFile.Copy(source, target);
        if (File.Exists(Path.ChangeExtension(source, ".pdb")))
        {
            AtomicFile.Copy(Path.ChangeExtension(source, ".pdb"), Path.ChangeExtension(target, ".pdb"));
        }
    }

    private static bool IsReadOnly(string path) =>
        (File.GetAttributes(path) & FileAttributes.ReadOnly) != 0
        || (!OperatingSystem.IsWindows() && (File.GetUnixFileMode(path) & UnixFileMode.UserWrite) == 0);
}
