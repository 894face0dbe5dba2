using Gevent.Weaver;
using Mono.Cecil;
using Mono.Cecil.Cil;

namespace Gevent.Weaver.Tests;

/// <summary>
/// The suspendable-path analysis (tier 2, first stage) over testassets/SuspensionCases woven together with
/// NappingLibrary: which methods are suspendable, and the exact pin reasons at each blocking site.
/// </summary>
public sealed class SuspendablePathAnalysisTests : TempFolderTests
{
    private const string Sleep = "Gevent.Patches.ThreadPatches::Sleep";

    [Fact]
    public void NestedCallsDispatchDelegatesGenericsAndTryBlocksAreCapturable()
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        foreach (var method in new[] { "Outer", "Inner", "Virtual", "Interface", "InvokeDelegate", "Generic", "GenericOverReference", "GenericOverValue", "InTry", "CallsLibrary" })
        {
            var found = Method(report, "SuspensionCases.Capturable::" + method);
            Assert.True(found.Capturable, $"{method}: {string.Join("; ", found.Sites.Select(s => s + " " + string.Join(",", s.Reasons)))}");
        }

        Assert.Equal(SuspensionSiteKind.WovenCall, Method(report, "SuspensionCases.Capturable::Virtual").Sites.Single().Kind);
        Assert.Equal(SuspensionSiteKind.DelegateCall, Method(report, "SuspensionCases.Capturable::InvokeDelegate").Sites.Single().Kind);
        Assert.Equal(SuspensionSiteKind.BlockingCall, Method(report, "SuspensionCases.Capturable::Inner").Sites.Single().Kind);
        Assert.True(Method(report, "SuspensionCases.SlowShape::Draw").Capturable);
        Assert.True(Method(report, "SuspensionCases.SlowWorker::Work").Capturable);
    }

    [Fact]
    public void DelegateTargetsAndOverridesOfOutsideMembersMayBeEnteredFromUnwovenCode()
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        var lambda = report.Methods.Single(m => m.Name.Contains("<MakeDelegate>", StringComparison.Ordinal));
        Assert.True(lambda.EnteredFromUnwovenCode);
        Assert.True(lambda.Capturable);
        Assert.False(Method(report, "SuspensionCases.SlowShape::Draw").EnteredFromUnwovenCode);
    }

    [Fact]
    public void MethodsThatNeverBlockAreNotSuspendable()
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        Assert.DoesNotContain(report.Methods, m => m.Name == "SuspensionCases.Capturable::NeverBlocks");
        Assert.DoesNotContain(report.Methods, m => m.Name == "SuspensionCases.Capturable::MakeDelegate");
    }

    [Fact]
    public void ALibraryMethodThatBlocksMakesItsCallersSuspendableOnlyWhenWovenTogether()
    {
        var together = Analyse("SuspensionCases", "NappingLibrary");
        Assert.Contains(together[1].Methods, m => m.Name == "NappingLibrary.Napper::Nap");
        var site = Method(together[0], "SuspensionCases.Capturable::CallsLibrary").Sites.Single();
        Assert.Equal(SuspensionSiteKind.WovenCall, site.Kind);
        Assert.Contains("NappingLibrary.Napper::Nap", site.Callee, StringComparison.Ordinal);

        var alone = Analyse("SuspensionCases")[0];
        Assert.DoesNotContain(alone.Methods, m => m.Name == "SuspensionCases.Capturable::CallsLibrary");
    }

    [Theory]
    [InlineData("Pinning::UnwovenFrame", "System.Collections.Generic.List`1<System.Int32>::ForEach", PinReason.UnwovenFrame)]
    [InlineData("Pinning::Reflection", "System.Reflection.MethodBase::Invoke", PinReason.Reflection)]
    [InlineData("Pinning::ByRefLocal", Sleep, PinReason.ByRef)]
    [InlineData("Pinning::ByRefOnStack", "SuspensionCases.Pinning::SleepOne", PinReason.ByRef)]
    [InlineData("Pinning::RefStruct", Sleep, PinReason.RefStruct)]
    [InlineData("Pinning::LocalAlloc", Sleep, PinReason.LocalAlloc)]
    [InlineData("Pinning::PinnedLocal", Sleep, PinReason.PinnedLocal)]
    [InlineData("Pinning::InCatch", Sleep, PinReason.InsideHandler)]
    [InlineData("Pinning::InFinally", Sleep, PinReason.InsideHandler)]
    [InlineData("Pinning::InLock", Sleep, PinReason.MonitorHeld)]
    [InlineData("Pinning::Synchronized", Sleep, PinReason.MonitorHeld)]
    [InlineData("Pinning::RefReturn", Sleep, PinReason.RefReturn)]
    [InlineData("Pinning::Varargs", Sleep, PinReason.Varargs)]
    [InlineData("BlockingConstructor::.ctor", Sleep, PinReason.Constructor)]
    [InlineData("BlockingTypeInitializer::.cctor", Sleep, PinReason.StaticConstructor)]
    [InlineData("Capturable::TailSleeps", Sleep, PinReason.TailCall)]
    public void EachPinReasonIsFoundAtItsCallSite(string method, string callee, PinReason reason)
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        var found = Method(report, "SuspensionCases." + method);
        // A site inside a handler pins alone: the frames leave it unlinked and still capture its method.
        Assert.Equal(reason == PinReason.InsideHandler, found.Capturable);
        var site = Assert.Single(found.Sites, s => s.Callee.Contains(callee, StringComparison.Ordinal));
        Assert.Contains(reason, site.Reasons);
    }

    [Fact]
    public void OnlyTheReasonOfTheCaseIsFound()
    {
        // The cases are written so that each pins for one reason; a second one would be a false pin.
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        foreach (var (method, reason) in new[] { ("InCatch", PinReason.InsideHandler), ("InFinally", PinReason.InsideHandler), ("RefStruct", PinReason.RefStruct), ("UnwovenFrame", PinReason.UnwovenFrame) })
        {
            Assert.Equal([reason], Method(report, "SuspensionCases.Pinning::" + method).Sites.Single(s => s.Pins).Reasons);
        }

        // In a lock, the monitor's own Enter (which takes its lockTaken flag by reference) is not "held".
        var inLock = Method(report, "SuspensionCases.Pinning::InLock").Sites;
        Assert.DoesNotContain(PinReason.MonitorHeld, inLock.Single(s => s.Callee.Contains("MonitorPatches::Enter", StringComparison.Ordinal)).Reasons);
    }

    [Fact]
    public void TheReportCountsPinsByReasonInTextAndJson()
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        var text = report.ToText();
        Assert.Contains($"{report.Methods.Count} suspendable methods", text, StringComparison.Ordinal);
        Assert.Contains("  MonitorHeld:\n    SuspensionCases.Pinning::InLock+IL_", text, StringComparison.Ordinal);
        Assert.Contains("pins by reason: UnwovenFrame 1, Reflection 1,", text, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Equal(report.Methods.Count, json.RootElement.GetProperty("suspendableMethods").GetInt32());
        Assert.Contains(json.RootElement.GetProperty("pins").EnumerateArray(), p => p.GetProperty("reasons").GetString() == "TailCall");
    }

    [Theory]
    [InlineData("Unlinked::CallsAPinningMethod", "SuspensionCases.Pinning::InFinally", UnlinkedReason.CalleeNotRewritten)]
    [InlineData("Unlinked::NullBelowTheCall", "SuspensionCases.Unlinked::Counted", UnlinkedReason.UnknownStackType)]
    [InlineData("Unlinked::WaitsOnATask", "Gevent.Patches.TaskPatches::Wait", UnlinkedReason.CalleeNotResumable)]
    [InlineData("Unlinked::CallsAPinningOverride", "SuspensionCases.Pen::Draw", UnlinkedReason.VirtualCallee)]
    [InlineData("Unlinked::CallsAPinningImplementation", "SuspensionCases.IStroke::Stroke", UnlinkedReason.VirtualCallee)]
    [InlineData("Capturable::InvokeDelegate", "System.Action::Invoke", UnlinkedReason.DelegateCall)]
    public void EachSiteTheFramesLeaveUnlinkedInACapturableMethodIsReportedWithItsReason(string method, string callee, UnlinkedReason reason)
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        var found = Method(report, "SuspensionCases." + method);

        Assert.True(found.Capturable);
        var site = Assert.Single(found.Sites);
        Assert.Contains(callee, site.Callee, StringComparison.Ordinal);
        Assert.Equal(reason, site.Unlinked);
    }

    [Fact]
    public void LinkedAndPinningSitesAreNotReportedUnlinked()
    {
        var reports = Analyse("SuspensionCases", "NappingLibrary");
        // Linked: a rewritten callee, a resumable replacement, a rewritten method of the other module.
        foreach (var method in new[] { "Capturable::Outer", "Capturable::Inner", "Unlinked::Counted", "Capturable::CallsLibrary", "Capturable::Virtual", "Capturable::Interface" })
        {
            Assert.All(Method(reports[0], "SuspensionCases." + method).Sites, s => Assert.Null(s.Unlinked));
        }

        // A pinning site is reported as a pin, not again as unlinked.
        Assert.All(Method(reports[0], "SuspensionCases.Pinning::InFinally").Sites, s => Assert.Null(s.Unlinked));
        Assert.Empty(reports[1].Unlinked);
    }

    [Fact]
    public void TheReportListsUnlinkedSitesByReasonInTextAndJson()
    {
        var report = Analyse("SuspensionCases", "NappingLibrary")[0];
        var text = report.ToText();

        Assert.Contains("  unlinked, CalleeNotRewritten:\n    SuspensionCases.Unlinked::CallsAPinningMethod+IL_", text, StringComparison.Ordinal);
        Assert.Contains("  unlinked, UnknownStackType:\n    SuspensionCases.Unlinked::NullBelowTheCall+IL_", text, StringComparison.Ordinal);
        Assert.Contains("unlinked by reason: DelegateCall 1, VirtualCallee 2, CalleeNotResumable 1, CalleeNotRewritten 1, UnknownStackType 1", text, StringComparison.Ordinal);
        using var json = System.Text.Json.JsonDocument.Parse(report.ToJson());
        Assert.Contains(json.RootElement.GetProperty("unlinked").EnumerateArray(),
            u => u.GetProperty("reason").GetString() == "UnknownStackType" && u.GetProperty("method").GetString() == "SuspensionCases.Unlinked::NullBelowTheCall");
        Assert.Equal(2, json.RootElement.GetProperty("unlinkedByReason").EnumerateArray().Single(r => r.GetProperty("reason").GetString() == "VirtualCallee").GetProperty("sites").GetInt32());
    }

    private static SuspendableMethod Method(SuspensionReport report, string name) =>
        report.Methods.SingleOrDefault(m => m.Name == name) ?? throw new Xunit.Sdk.XunitException($"{name} is not suspendable; suspendable: {string.Join(", ", report.Methods.Select(m => m.Name))}");

    /// <summary>Weaves each named assembly of the output folder in memory and analyses them together.</summary>
    private IReadOnlyList<SuspensionReport> Analyse(params string[] assemblies)
    {
        var parameters = new ReaderParameters { AssemblyResolver = Resolver };
        var catalog = CatalogReader.Read([ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, "Gevent.Runtime.dll"), parameters)]);
        var modules = assemblies.Select(a => ModuleDefinition.ReadModule(Path.Combine(AppContext.BaseDirectory, a + ".dll"), parameters)).ToList();
        AddTailCall(modules[0]);
        foreach (var module in modules)
        {
            new ModulePatcher(catalog, TypeFilter.All).Patch(module);
        }

        return SuspendablePathAnalysis.Run(modules.Select(m => (m, catalog)).ToList());
    }

    /// <summary>C# never emits <c>tail.</c>: <c>Capturable.TailSleeps</c> is added here as <c>ldc.i4.1; tail. call Thread::Sleep; ret</c>.</summary>
    private static void AddTailCall(ModuleDefinition module)
    {
        var type = module.GetType("SuspensionCases.Capturable");
        var pause = type.Methods.Single(m => m.Name == "Inner").Body.Instructions.Single(i => i.OpCode == OpCodes.Call).Operand;
        var method = new MethodDefinition("TailSleeps", MethodAttributes.Public | MethodAttributes.Static, module.TypeSystem.Void);
        var il = method.Body.GetILProcessor();
        il.Emit(OpCodes.Ldc_I4_1);
        il.Emit(OpCodes.Tail);
        il.Emit(OpCodes.Call, (MethodReference)pause);
        il.Emit(OpCodes.Ret);
        type.Methods.Add(method);
    }
}
