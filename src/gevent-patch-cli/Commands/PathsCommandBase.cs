using System.ComponentModel.DataAnnotations;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary>The commands that take assemblies as path arguments.</summary>
internal abstract class PathsCommandBase : CommandBase
{
    /// <summary>Files, folders (a publish output) or globs.</summary>
    [Required(ErrorMessage = "give at least one file, folder or glob (see --help)")]
    [Argument(0, "paths", Description = "Assembly files, folders (e.g. a dotnet publish output) or globs (libs/*.dll, libs/**/*.dll).")]
    public string[] Paths { get; set; } = [];
}
