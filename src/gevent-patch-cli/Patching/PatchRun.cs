using Gevent.Cli.Files;
using Gevent.Cli.Inputs;
using Gevent.Cli.Output;
using Gevent.Weaver;

namespace Gevent.Cli.Patching;

/// <summary>
/// One <c>patch</c> or <c>scan</c> over expanded inputs: copies the rest of each app folder to the
/// output folder, patches every input, then deploys the runtime where patched files landed. With
/// <paramref name="suspension"/> (scan), the patched inputs are then analysed together for tier 2; with
/// <paramref name="resumableFrames"/> the inputs are woven together and their capturable methods become resumable
/// frames, linked across assemblies.
/// </summary>
internal sealed class PatchRun(PatchOptions options, TypeFilter filter, bool progress, bool suspension = false, bool resumableFrames = false)
{
    /// <summary>Handles every input of <paramref name="set"/> in order, unless interrupted.</summary>
    public RunResult Run(InputSet set)
    {
        var notes = new List<string>();
        var errors = new List<string>();
        if (!options.DryRun && options.OutputFolder is not null)
        {
            CopyFolders(set, errors);
        }

        var outcomes = new List<Outcome>();
        using var interruption = new Interruption();
        using var engine = new PatchEngine(filter, resumableFrames);
        var kept = suspension ? new List<Analysis>() : null;
        var patcher = new FilePatcher(engine, options, kept);
        using (var bar = new ProgressBar(set.Inputs.Count, progress))
        {
            foreach (var batch in Batches(set.Inputs))
            {
                outcomes.AddRange(patcher.Patch(batch, input =>
                {
                    if (interruption.Requested)
                    {
                        return false;
                    }

                    bar.Step(input.RelativePath);
                    return true;
                }));
                if (interruption.Requested)
                {
                    break;
                }
            }
        }

        if (!options.DryRun)
        {
            Deploy(outcomes, notes, errors);
            DeployAspNetCore(set, notes, errors);
        }

        var reports = kept is null ? [] : SuspendablePathAnalysis.Run(kept.Select(a => (a.Module, a.Catalog)).ToList());
        foreach (var analysis in kept ?? [])
        {
            analysis.Dispose();
        }

        return new RunResult(outcomes, notes, errors, interruption.Requested, reports);
    }

    /// <summary>
    /// The inputs woven together: with resumable frames all of them, planned as one program, so a call from one
    /// assembly into a method another rewrites links (its greenlet suspends stacklessly across the boundary);
    /// otherwise one at a time, so only one module is held in memory.
    /// </summary>
    private IEnumerable<IReadOnlyList<Input>> Batches(IReadOnlyList<Input> inputs) =>
        resumableFrames ? [inputs] : inputs.Select(i => (IReadOnlyList<Input>)[i]);

    /// <summary>Everything of the input folders that is not patched goes to the output folder unchanged.</summary>
    private void CopyFolders(InputSet set, List<string> errors)
    {
        var inputs = set.Inputs.Select(i => i.Path).ToHashSet();
        foreach (var folder in set.Folders)
        {
            foreach (var file in Directory.EnumerateFiles(folder, "*", SearchOption.AllDirectories).ToList())
            {
                if (inputs.Contains(file) || file.EndsWith(Backups.Suffix, StringComparison.Ordinal))
                {
                    continue;
                }

                try
                {
                    AtomicFile.Copy(file, Path.Combine(options.OutputFolder!, Path.GetRelativePath(folder, file)));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    errors.Add($"{file}: cannot be copied to the output folder: {e.Message}");
                }
            }
        }
    }

    private void Deploy(IEnumerable<Outcome> outcomes, List<string> notes, List<string> errors)
    {
        foreach (var group in outcomes.Where(o => o.RuntimePath is not null).GroupBy(o => options.TargetRootOf(o.Input)))
        {
            var first = group.First();
            try
            {
                notes.AddRange(RuntimeDeployment.Ensure(group.Key, first.RuntimePath!, first.Input.Folder is not null, options.Backup && options.OutputFolder is null));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException)
            {
                errors.Add($"could not deploy {CatalogReader.RuntimeAssemblyName} to {group.Key}: {e.Message}");
            }
        }
    }

    /// <summary>Every folder argument that is an ASP.NET Core app gets Gevent.AspNetCore, patched files or not.</summary>
    private void DeployAspNetCore(InputSet set, List<string> notes, List<string> errors)
    {
        foreach (var folder in set.Folders.Select(f => options.OutputFolder ?? f).Distinct())
        {
            try
            {
                notes.AddRange(AspNetCoreDeployment.Ensure(folder, options.Backup && options.OutputFolder is null));
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException or System.Text.Json.JsonException or InvalidOperationException)
            {
                // InvalidOperationException: a JSON value of the wrong kind where a string is expected.
                errors.Add($"could not deploy {AspNetCoreDeployment.AssemblyName} to {folder}: {e.Message}");
            }
        }
    }
}
