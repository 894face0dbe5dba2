namespace Gevent.Cli.Inputs;

/// <summary>
/// Expands path arguments: a file is taken as given; a folder contributes its managed assemblies
/// (<see cref="FolderSelection"/>); a glob has wildcards in its last segment (<c>libs/*.dll</c>),
/// optionally after <c>**</c> for every folder below (<c>libs/**/*.dll</c>).
/// </summary>
internal static class InputExpander
{
    /// <summary>Expands <paramref name="arguments"/> in order, without duplicates.</summary>
    public static InputSet Expand(IEnumerable<string> arguments)
    {
        var inputs = new List<Input>();
        var folders = new List<string>();
        var errors = new List<string>();
        var seen = new HashSet<string>();
        void Add(Input input)
        {
            if (seen.Add(Path.GetFullPath(input.Path)))
            {
                inputs.Add(input);
            }
        }

        foreach (var argument in arguments)
        {
            if (Directory.Exists(argument))
            {
                var folder = Path.GetFullPath(argument);
                folders.Add(folder);
                foreach (var file in FolderSelection.Assemblies(folder))
                {
                    Add(new Input(file, folder));
                }
            }
            else if (File.Exists(argument))
            {
                Add(new Input(Path.GetFullPath(argument), null));
            }
            else if (argument.IndexOfAny(['*', '?']) >= 0)
            {
                var matches = Glob(argument, errors);
                if (matches is [])
                {
                    errors.Add($"{argument}: no file matches this pattern.");
                }

                foreach (var file in matches)
                {
                    Add(new Input(file, null));
                }
            }
            else
            {
                errors.Add($"{argument}: no such file or folder.");
            }
        }

        return new InputSet(inputs, folders, errors);
    }

    private static List<string> Glob(string pattern, List<string> errors)
    {
        var directory = Path.GetDirectoryName(pattern) is { Length: > 0 } d ? d : ".";
        var recursive = Path.GetFileName(directory) == "**";
        if (recursive)
        {
            directory = Path.GetDirectoryName(directory) is { Length: > 0 } parent ? parent : ".";
        }

        if (directory.IndexOfAny(['*', '?']) >= 0 || !Directory.Exists(directory))
        {
            errors.Add($"{pattern}: wildcards are allowed in the file name and as one '**' folder (libs/**/*.dll), under an existing folder.");
            return [];
        }

        var option = recursive ? SearchOption.AllDirectories : SearchOption.TopDirectoryOnly;
        return Directory.EnumerateFiles(directory, Path.GetFileName(pattern), option).Select(Path.GetFullPath).Order(StringComparer.Ordinal).ToList();
    }
}
