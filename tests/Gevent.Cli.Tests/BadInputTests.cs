using System.Reflection.PortableExecutable;
using Gevent.Cli.Tests.Infrastructure;

namespace Gevent.Cli.Tests;

/// <summary>Every input the tool must refuse: a clear message, exit 1, and the original byte-identical.</summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class BadInputTests(PublishedApps apps) : IDisposable
{
    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void Missing_path_is_named()
    {
        var result = Processes.Tool("patch", _scratch["missing.dll"], "--in-place");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("missing.dll: no such file or folder", result.StandardError);
    }

    [Fact]
    public void A_file_that_is_not_PE_is_refused()
    {
        var file = _scratch["notes.dll"];
        File.WriteAllText(file, "not an assembly");

        Refused(file, "not a PE file");
    }

    [Fact]
    public void An_ELF_library_is_refused()
    {
        var file = _scratch.Copy(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "libSystem.Native.so"), "native.dll");

        Refused(file, "not a PE file");
    }

    [Fact]
    public void A_native_PE_library_is_refused() => Refused(Crafted(Craft.RemoveCliHeader), "a native library");

    [Fact]
    public void A_mixed_mode_assembly_is_refused() =>
        Refused(Crafted(path => Craft.ChangeCorFlags(path, flags => flags & ~CorFlags.ILOnly)), "mixed-mode");

    [Fact]
    public void A_ReadyToRun_image_is_refused_with_how_to_patch_before_compilation() =>
        Refused(Crafted(path => Craft.ChangeCorFlags(path, flags => flags | CorFlags.ILLibrary)), "PublishReadyToRun");

    [Fact]
    public void The_shared_frameworks_own_ReadyToRun_images_are_refused_as_such()
    {
        // The shared framework ships compiled by crossgen2: real ReadyToRun images.
        var file = _scratch.Copy(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "System.Linq.dll"));

        Refused(file, "a ReadyToRun image");
    }

    [Fact]
    public void A_reference_assembly_is_refused()
    {
        var dotnet = Path.GetFullPath(Path.Combine(Path.GetDirectoryName(typeof(object).Assembly.Location)!, "..", "..", ".."));
        var reference = Directory.EnumerateFiles(Path.Combine(dotnet, "packs", "Microsoft.NETCore.App.Ref"), "System.Runtime.dll", SearchOption.AllDirectories).First();

        Refused(_scratch.Copy(reference), "reference assembly");
    }

    [Fact]
    public void A_truncated_file_is_refused() => Refused(Crafted(Craft.Truncate), "truncated");

    [Fact]
    public void A_file_with_corrupt_metadata_is_refused() => Refused(Crafted(Craft.CorruptMetadata), "corrupt");

    [Fact]
    public void A_symbols_file_from_another_build_is_refused_with_what_to_do()
    {
        // The app's own .pdb laid beside the library: a stale symbols file, as a partial copy of a build output leaves.
        var file = Crafted(path => File.Copy(Path.Combine(apps.PlainNappingApp, "PlainNappingApp.pdb"), Path.ChangeExtension(path, ".pdb"), overwrite: true));

        Refused(file, "NappingLibrary.pdb does not match it");
    }

    [Fact]
    public void A_read_only_file_is_not_patched_in_place()
    {
        var file = _scratch.Copy(apps.Library);
        File.SetAttributes(file, FileAttributes.ReadOnly);
        var before = File.ReadAllBytes(file);

        Assertions.FailedUntouched(Processes.Tool("patch", file, "--in-place"), "read-only", file, before);
    }

    [Fact]
    public void A_file_locked_by_another_process_is_refused()
    {
        var file = _scratch.Copy(apps.Library);
        var before = File.ReadAllBytes(file);
        ProcessResult result;
        using (new FileStream(file, FileMode.Open, FileAccess.ReadWrite, FileShare.None))
        {
            result = Processes.Tool("patch", file, "--in-place");
        }

        Assertions.FailedUntouched(result, "locked", file, before);
    }

    [Fact]
    public void An_output_folder_that_cannot_be_created_is_reported_before_anything_is_written()
    {
        var file = _scratch.Copy(apps.Library);
        var before = File.ReadAllBytes(file);
        File.WriteAllText(_scratch["plain-file"], "");

        var result = Processes.Tool("patch", file, "-o", _scratch["plain-file/out"]);

        Assertions.FailedUntouched(result, "cannot be written", file, before);
    }

    [Fact]
    public void An_assembly_patched_by_another_engine_version_is_refused() =>
        Refused(Crafted(path => Craft.MarkAsPatchedBy(path, "engine 0.0.1.0; catalog 0123456789abcdef")), "another Gevent engine");

    [Fact]
    public void The_runtime_itself_is_never_patched() =>
        Refused(_scratch.Copy(Path.Combine(apps.NappingApp, "Gevent.Runtime.dll")), "the Gevent runtime itself");

    [Fact]
    public void Unresolvable_dependencies_are_named()
    {
        // NappingApp alone: NappingLibrary, which it references, is not beside it.
        var file = _scratch.Copy(Path.Combine(apps.NappingApp, "NappingApp.dll"));

        var result = Processes.Tool("patch", file, "-o", _scratch["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("references not found beside it: NappingLibrary", result.StandardError);
    }

    private string Crafted(Action<string> damage)
    {
        var file = _scratch.Copy(apps.Library);
        damage(file);
        return file;
    }

    /// <summary>Both in place and to an output folder: refused, input untouched, nothing written.</summary>
    private void Refused(string file, string message)
    {
        var before = File.ReadAllBytes(file);

        Assertions.FailedUntouched(Processes.Tool("patch", file, "--in-place"), message, file, before);
        Assertions.FailedUntouched(Processes.Tool("patch", file, "-o", _scratch["out"]), message, file, before);
        Assert.False(File.Exists(file + ".gevent-backup"));
        Assert.False(File.Exists(Path.Combine(_scratch["out"], Path.GetFileName(file))));
        Assertions.NoTemporaryFiles(_scratch.Path);
    }
}
