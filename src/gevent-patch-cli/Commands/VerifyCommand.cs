using System.Text.Json.Nodes;
using Gevent.Cli.Inputs;
using Gevent.Cli.Output;
using McMaster.Extensions.CommandLineUtils;

namespace Gevent.Cli.Commands;

/// <summary><c>gevent-patch verify</c>: compiles every method of each assembly, so invalid IL is found before it runs.</summary>
[Command("verify", Description = "Load each assembly in an isolated context and JIT-compile every method; report invalid IL with the method named.")]
internal sealed class VerifyCommand : PathsCommandBase
{
    private int OnExecute()
    {
        var reporter = Reporter;
        var set = InputExpander.Expand(Paths);
        var failed = set.Errors.Count > 0;
        foreach (var error in set.Errors)
        {
            Reporter.Error(error);
        }

        var files = new JsonArray();
        using (var bar = new ProgressBar(set.Inputs.Count, !Json))
        {
            foreach (var input in set.Inputs)
            {
                bar.Step(input.RelativePath);
                if (AssemblyProbe.Check(input.Path) is { } refusal)
                {
                    if (!refusal.IsSkipOf(input))
                    {
                        Reporter.Error($"{input.Path}: {refusal.Message}");
                        failed = true;
                    }

                    continue;
                }

                var (problems, compiled, notChecked) = Verification.JitVerifier.Verify(input.Path);
                failed |= problems.Count > 0;
                foreach (var problem in problems)
                {
                    Reporter.Error($"{input.Path}: {problem}");
                }

                reporter.Line($"{(problems.Count == 0 ? "ok" : "FAILED")} {input.Path}: {compiled} methods compiled, {problems.Count} problems{(notChecked > 0 ? $", {notChecked} generic methods not checked (constraints object does not meet)" : "")}");
                files.Add(new JsonObject { ["path"] = input.Path, ["compiled"] = compiled, ["notChecked"] = notChecked, ["problems"] = Reporter.Array(problems) });
            }
        }

        if (Json)
        {
            Reporter.Document(new JsonObject { ["files"] = files, ["errors"] = Reporter.Array(set.Errors) });
        }

        return failed ? ExitCodes.SomeFailed : ExitCodes.Ok;
    }
}
