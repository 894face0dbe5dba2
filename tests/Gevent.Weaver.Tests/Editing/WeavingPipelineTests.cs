using Gevent.Weaver;
using Mono.Cecil;

namespace Gevent.Weaver.Tests.Editing;

public sealed class WeavingPipelineTests
{
    [Fact]
    public void EachPassSeesTheWholeModuleBeforeTheNextAndTheReportKeepsModuleOrder()
    {
        using var module = ModuleDefinition.ReadModule(Woven.OriginalPath);
        var filter = new TypeFilter([EditedAssembly.TypeName], []);
        var visits = new List<string>();
        var report = new WeaveReport("AssemblyToProcess", "test", alreadyPatched: false);
        new WeavingPipeline(filter, [new RecordingPass("first", visits), new RecordingPass("second", visits)]).Run(module, report);

        var methods = module.GetTypes().Where(filter.Includes).SelectMany(t => t.Methods).Select(m => m.Name).ToList();
        Assert.True(methods.Count > 5);
        Assert.Equal(methods.Select(m => "first " + m).Concat(methods.Select(m => "second " + m)), visits);
        // Whatever the passes' order, a method's sites stay together, in module order.
        Assert.Equal(methods.SelectMany(m => new[] { (m, "first"), (m, "second") }), report.Sites.Select(s => (s.Method, s.Original)));
    }

    private sealed class RecordingPass(string name, List<string> visits) : WeavingPass
    {
        public override void VisitMethod(MethodDefinition method, WeavingContext context)
        {
            visits.Add(name + " " + method.Name);
            context.Report(new WeaveSite(WeaveSiteKind.Skipped, method, null, name, "recorded"));
        }
    }
}
