using Gevent.Cli.Tests.Infrastructure;
using Mono.Cecil;

namespace Gevent.Cli.Tests;

/// <summary>Patching single files to an output folder: markers, idempotency, strong names, dry runs and reports.</summary>
[Collection(PublishedAppsCollection.Name)]
public sealed class PatchFileTests(PublishedApps apps) : IDisposable
{
    private readonly Scratch _scratch = new();

    public void Dispose() => _scratch.Dispose();

    [Fact]
    public void A_library_is_patched_to_the_output_folder_with_the_runtime_beside_it()
    {
        var file = Library();
        var before = File.ReadAllBytes(file);

        var result = Processes.Tool("patch", file, "-o", _scratch["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("patched ", result.StandardOutput);
        Assert.Contains("1 files patched, 1 call sites rewritten", result.StandardOutput);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.NotNull(Craft.Marker(_scratch["out/NappingLibrary.dll"]));
        Assert.True(File.Exists(_scratch["out/Gevent.Runtime.dll"]));
        Assert.True(File.Exists(_scratch["out/NappingLibrary.pdb"]));
    }

    [Fact]
    public void An_already_patched_assembly_is_left_alone_and_said_once()
    {
        Processes.Tool("patch", _scratch.Copy(apps.Library), "-o", _scratch["out"]);
        var patched = _scratch["out/NappingLibrary.dll"];
        var before = File.ReadAllBytes(patched);

        var result = Processes.Tool("patch", patched, "--in-place");

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Single(result.Output.Split('\n'), line => line.StartsWith("already patched", StringComparison.Ordinal));
        Assert.Equal(before, File.ReadAllBytes(patched));
        Assert.False(File.Exists(patched + ".gevent-backup"));
    }

    [Fact]
    public void A_strong_named_assembly_keeps_its_identity()
    {
        var file = _scratch.Copy(apps.Library);
        Craft.StrongName(file, Craft.NewKey());
        var identity = AssemblyName(file);

        var result = Processes.Tool("patch", file, "-o", _scratch["out"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("strong-named: identity kept", result.StandardError);
        Assert.Equal(identity, AssemblyName(_scratch["out/NappingLibrary.dll"]));
        Assert.All(Craft.StrongNameSignature(_scratch["out/NappingLibrary.dll"]), b => Assert.Equal(0, b));
    }

    [Fact]
    public void A_strong_named_assembly_is_re_signed_with_its_key()
    {
        var key = Craft.NewKey();
        var file = _scratch.Copy(apps.Library);
        Craft.StrongName(file, key);
        File.WriteAllBytes(_scratch["key.snk"], key);
        var identity = AssemblyName(file);

        var result = Processes.Tool("patch", file, "-o", _scratch["out"], "--key", _scratch["key.snk"]);

        Assert.True(result.ExitCode == 0, result.ToString());
        Assert.Contains("re-signed", result.StandardError);
        Assert.Equal(identity, AssemblyName(_scratch["out/NappingLibrary.dll"]));
        Assert.Contains(Craft.StrongNameSignature(_scratch["out/NappingLibrary.dll"]), b => b != 0);
    }

    [Fact]
    public void Another_key_than_the_assemblys_own_is_refused()
    {
        var file = _scratch.Copy(apps.Library);
        Craft.StrongName(file, Craft.NewKey());
        File.WriteAllBytes(_scratch["other.snk"], Craft.NewKey());
        var before = File.ReadAllBytes(file);

        var result = Processes.Tool("patch", file, "--in-place", "--key", _scratch["other.snk"]);

        Assertions.FailedUntouched(result, "another key", file, before);
    }

    [Fact]
    public void A_dry_run_writes_nothing_and_scan_lists_the_sites()
    {
        var file = Library();
        var before = File.ReadAllBytes(file);

        var dryRun = Processes.Tool("patch", file, "--dry-run");
        var scan = Processes.Tool("scan", file);

        Assert.True(dryRun.ExitCode == 0, dryRun.ToString());
        Assert.Contains("would patch", dryRun.StandardOutput);
        Assert.True(scan.ExitCode == 0, scan.ToString());
        Assert.Contains("Rewritten", scan.StandardOutput);
        Assert.Contains("Napper.cs:7", scan.StandardOutput);
        Assert.Equal(before, File.ReadAllBytes(file));
        Assert.Equal([file], Directory.GetFiles(_scratch.Path, "*.dll"));
    }

    [Fact]
    public void Globs_expand_and_the_report_and_json_are_written()
    {
        _scratch.Copy(apps.Library, "LibA.dll");
        _scratch.Copy(apps.Library, "LibB.dll");

        var result = Processes.Tool("patch", _scratch["Lib*.dll"], "-o", _scratch["out"], "--report", _scratch["report.json"], "--json");

        Assert.True(result.ExitCode == 0, result.ToString());
        var summary = System.Text.Json.JsonDocument.Parse(result.StandardOutput).RootElement.GetProperty("summary");
        Assert.Equal(2, summary.GetProperty("patched").GetInt32());
        var report = System.Text.Json.JsonDocument.Parse(File.ReadAllText(_scratch["report.json"])).RootElement;
        Assert.Equal(2, report.GetArrayLength());
        Assert.Equal("Rewritten", report[0].GetProperty("sites")[0].GetProperty("kind").GetString());
    }

    [Fact]
    public void An_output_folder_that_is_the_inputs_own_is_a_usage_error()
    {
        var file = _scratch.Copy(apps.Library);
        var before = File.ReadAllBytes(file);

        var result = Processes.Tool("patch", file, "-o", _scratch.Path);

        Assert.True(result.ExitCode == 2, result.ToString());
        Assert.Contains("over itself", result.StandardError);
        Assert.Equal(before, File.ReadAllBytes(file));
    }

    [Fact]
    public void Scan_and_verify_print_one_json_document_even_when_an_input_fails()
    {
        var file = Library();

        var scan = Processes.Tool("scan", file, _scratch["missing.dll"], "--json");
        var verify = Processes.Tool("verify", file, "--json");

        Assert.True(scan.ExitCode == 1, scan.ToString());
        var scanned = System.Text.Json.JsonDocument.Parse(scan.StandardOutput).RootElement;
        Assert.Contains("missing.dll", scanned.GetProperty("errors")[0].GetString());
        Assert.Equal("Rewritten", scanned.GetProperty("files")[0].GetProperty("report").GetProperty("sites")[0].GetProperty("kind").GetString());
        Assert.True(verify.ExitCode == 0, verify.ToString());
        var verified = System.Text.Json.JsonDocument.Parse(verify.StandardOutput).RootElement.GetProperty("files")[0];
        Assert.Equal(0, verified.GetProperty("problems").GetArrayLength());
    }

    [Theory]
    [InlineData("--include", "SomeOther.Namespace")]
    [InlineData("--exclude", "NappingLibrary")]
    public void Types_outside_the_filter_are_not_rewritten(string option, string pattern)
    {
        var file = _scratch.Copy(apps.Library);

        var filtered = Processes.Tool("scan", file, option, pattern);
        var patched = Processes.Tool("patch", file, "-o", _scratch["out"], option, pattern);

        Assert.True(filtered.ExitCode == 0, filtered.ToString());
        Assert.Contains("0 call sites rewritten", filtered.StandardOutput);
        Assert.True(patched.ExitCode == 0, patched.ToString());
        Assert.Equal(File.ReadAllBytes(file), File.ReadAllBytes(_scratch["out/NappingLibrary.dll"]));
    }

    [Fact]
    public void A_glob_that_matches_nothing_fails()
    {
        var result = Processes.Tool("patch", _scratch["Nothing*.dll"], "--dry-run");

        Assert.Equal(1, result.ExitCode);
        Assert.Contains("no file matches", result.StandardError);
    }

    /// <summary>The published library with its symbols, copied into the scratch folder.</summary>
    private string Library()
    {
        _scratch.Copy(Path.ChangeExtension(apps.Library, ".pdb"));
        return _scratch.Copy(apps.Library);
    }

    private static string AssemblyName(string path)
    {
        using var module = ModuleDefinition.ReadModule(path);
        return module.Assembly.Name.FullName;
    }
}
