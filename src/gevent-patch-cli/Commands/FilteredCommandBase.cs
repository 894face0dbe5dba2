using Gevent.Weaver;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary>The commands that run the engine (patch, scan): which types it rewrites.</summary>
internal abstract class FilteredCommandBase : PathsCommandBase
{
    /// <summary>Only types matching these patterns are patched.</summary>
    [Option("--include <PATTERN>", CommandOptionType.MultipleValue, Description = "Patch only these namespaces/types (MyApp.Net, MyApp.*.Client); repeatable.")]
    public string[] Include { get; set; } = [];

    /// <summary>Types matching these patterns are left alone.</summary>
    [Option("--exclude <PATTERN>", CommandOptionType.MultipleValue, Description = "Leave these namespaces/types alone; repeatable.")]
    public string[] Exclude { get; set; } = [];

    /// <summary>Whether methods that can suspend become resumable frames (tier 2).</summary>
    [Option("--resumable-frames", CommandOptionType.NoValue, Description = "Also make the methods that can suspend resumable, so greenlets running them own no thread (tier 2; off by default). The inputs are then woven together, so calls from one into another link.")]
    public bool ResumableFrames { get; set; }

    /// <summary>The filter, or null after reporting a malformed pattern.</summary>
    protected TypeFilter? Filter()
    {
        if (Include.Concat(Exclude).FirstOrDefault(p => !TypeFilter.IsValidPattern(p)) is { } bad)
        {
            UsageError($"'{bad}' is not a valid pattern: {TypeFilter.AllowedPattern}.");
            return null;
        }

        return new TypeFilter(Include, Exclude);
    }
}
