using Gevent.Cli.Files;
using Gevent.Cli.Inputs;
using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Cli.Patching;

/// <summary>
/// Patches one input end to end: refuses what cannot be patched before anything is written, keeps a
/// backup when patching in place, and writes through a temporary file, so on every path the target
/// is either the original or the fully patched assembly. Also serves <c>scan</c> (a dry run), which may
/// keep each patched module in memory for the analysis of the whole set (<paramref name="kept"/>).
/// </summary>
internal sealed class FilePatcher(PatchEngine engine, PatchOptions options, List<Analysis>? kept = null)
{
    /// <summary>Handles <paramref name="input"/>; never throws for a bad input.</summary>
    public Outcome Patch(Input input)
    {
        if (AssemblyProbe.Check(input.Path) is { } refusal)
        {
            return refusal.IsSkipOf(input)
                ? new Outcome(input, OutcomeKind.Skipped, refusal.Message, [], null)
                : Outcome.Failure(input, refusal.Message);
        }

        var target = options.TargetOf(input);
        if (!options.DryRun && target == input.Path && IsReadOnly(target))
        {
            return Outcome.Failure(input, "is read-only: make it writable (chmod u+w) or write the patched copy elsewhere with -o DIR.");
        }

        Analysis? analysis;
        try
        {
            analysis = engine.Analyze(input);
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
            // Damaged metadata makes Cecil fail in many ways; each is this one input's failure, not the run's.
            return Outcome.Failure(input, $"is corrupt: its metadata cannot be read ({e.GetType().Name}: {e.Message}).");
        }

        try
        {
            var outcome = Complete(input, target, analysis);
            if (kept is not null && outcome.Kind != OutcomeKind.Failed)
            {
                kept.Add(analysis);
                analysis = null;
            }

            return outcome;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return Outcome.Failure(input, $"cannot be written to {target}: {e.Message}");
        }
        finally
        {
            analysis?.Dispose();
        }
    }

    private Outcome Complete(Input input, string target, Analysis analysis)
    {
        var warnings = Warnings(analysis).ToList();
        var name = analysis.Module.Assembly.Name;
        if (name.Name == CatalogReader.RuntimeAssemblyName)
        {
            // Its replacements call the originals outside greenlets: rewritten, they would call themselves.
            return Outcome.Failure(input, "is the Gevent runtime itself, which is never patched: it is what patched code calls.");
        }

        var key = name.HasPublicKey ? options.Key : null;
        if (key is not null && !key.PublicKey.AsSpan().SequenceEqual(name.PublicKey))
        {
            return Outcome.Failure(input, "is strong-named with another key than --key: signing with it would change the assembly's identity.");
        }

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

        return new Outcome(input, OutcomeKind.Patched, null, warnings, analysis.Report) { RuntimePath = analysis.RuntimePath };
    }

    private static IEnumerable<string> Warnings(Analysis analysis)
    {
        if (analysis.Unresolved.Count > 0)
        {
            yield return $"references not found beside it: {string.Join(", ", analysis.Unresolved)} (a patch catalog in them, if any, was not applied).";
        }

        foreach (var conflict in analysis.Conflicts)
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
