using System.Reflection;
using System.Runtime.CompilerServices;
using Mono.Cecil;

namespace Gevent.Weaver.Tests;

public class RewritingTests
{
    [Fact]
    public void EveryMethodOfTheWovenAssemblyCompiles()
    {
        var failures = new List<string>();
        foreach (var type in Woven.Assembly.GetTypes().Where(t => !t.IsGenericTypeDefinition))
        {
            foreach (var method in type.GetMethods(BindingFlags.DeclaredOnly | BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static)
                         .Where(m => !m.IsAbstract))
            {
                try
                {
                    if (method.IsGenericMethodDefinition)
                    {
                        // Any instantiation the constraints admit: the first constraint, or object.
                        var arguments = method.GetGenericArguments().Select(a => a.GetGenericParameterConstraints().FirstOrDefault() ?? typeof(object));
                        RuntimeHelpers.PrepareMethod(method.MethodHandle, arguments.Select(a => a.TypeHandle).ToArray());
                    }
                    else
                    {
                        RuntimeHelpers.PrepareMethod(method.MethodHandle);
                    }
                }
                catch (Exception e)
                {
                    failures.Add($"{type.FullName}.{method.Name}: {e.GetType().Name}: {e.Message}");
                }
            }
        }

        Assert.Empty(failures);
    }

    [Fact]
    public void TheReportNamesEveryRewrittenSiteWithItsSourceLine()
    {
        var rewritten = Woven.Result.Messages.Select(m => m.Text).Where(t => t.Contains(" -> ")).ToList();
        Assert.Contains(rewritten, t => t.Contains("Sleeping.cs:") && t.Contains("AssemblyToProcess.Sleeping.Plain+IL_") && t.EndsWith("System.Threading.Thread::Sleep(System.Int32) -> Gevent.Patches.ThreadPatches::Sleep"));
        // Compiler-generated code: lambda closure, local function, iterator and async state machines.
        Assert.Contains(rewritten, t => t.Contains("<>c__DisplayClass") && t.Contains("<Lambda>"));
        Assert.Contains(rewritten, t => t.Contains("<LocalFunction>g__Nap"));
        Assert.Contains(rewritten, t => t.Contains("<Ticks>d__") && t.Contains("MoveNext"));
        Assert.Contains(rewritten, t => t.Contains("<SleepThenAnswerAsync>d__") && t.Contains("MoveNext"));
        Assert.Contains(rewritten, t => t.Contains("Sleeping.MethodGroup"));
        Assert.Contains(rewritten, t => t.Contains("Sleeping.YieldOnce") && t.Contains("ThreadPatches::Yield"));
    }

    [Fact]
    public void UnsafeSitesAndUnpatchableCallsAreWarningsAtTheirSourceLine()
    {
        var warnings = Woven.Result.Warnings;
        var constrained = Assert.Single(warnings, w => w.Text.Contains("Receivers.DisposeGeneric"));
        Assert.Contains("constrained.", constrained.Text);
        Assert.NotNull(constrained.SequencePoint);
        Assert.EndsWith("Receivers.cs", constrained.SequencePoint!.Document.Url);
        var baseCall = Assert.Single(warnings, w => w.Text.Contains("CountingStream.Read"));
        Assert.Contains("non-virtual (base.) call", baseCall.Text);
        Assert.Contains(warnings, w => w.Text.Contains("libc!usleep") && w.Text.Contains("blocks the whole hub"));
        Assert.Contains(warnings, w => w.Text.Contains("Unpatchable.ReflectedYield") && w.Text.Contains("Thread::Yield()"));
    }

    [Fact]
    public void AConstrainedReceiverThatCannotBeAPatchedTypeIsNoWarning()
    {
        // A struct of its own (using), a struct enumerator (foreach), T : struct and T : IComparable: none can be a socket or a stream.
        foreach (var method in new[] { ".StructUsing:", ".SumAll:", "/ValueDisposer`1.Dispose:", "/ComparableDisposer`1.Dispose:" })
        {
            Assert.DoesNotContain(Woven.Result.Warnings, w => w.Text.Contains("Receivers" + method));
        }

        Assert.Equal(6, Woven.Call("Receivers", "SumAll", new List<int> { 1, 2, 3 }));
    }

    [Fact]
    public void SkippedCodeKeepsTheOriginalCallsAndLosesTheAttribute()
    {
        var rewritten = Woven.Result.Messages.Select(m => m.Text).Where(t => t.Contains(" -> ")).ToList();
        Assert.Contains(rewritten, t => t.Contains("AssemblyToProcess.Skipped.Woven+"));
        Assert.DoesNotContain(rewritten.Concat(Woven.Result.Warnings.Select(w => w.Text)), t => t.Contains("Skipped.Sleep") || t.Contains("Skipped/"));

        // Still the blocking originals: in the method, its lambda, its async state machine, and the skipped type.
        var skipped = s_wovenModule.Value.GetType("AssemblyToProcess.Skipped");
        var types = new[] { skipped }.Concat(skipped.NestedTypes).ToList();
        var sleeps = types.SelectMany(t => t.Methods).Where(m => m.HasBody && m.Name != "Woven")
            .SelectMany(m => m.Body.Instructions).Select(i => i.Operand).OfType<MethodReference>().Where(r => r.Name == "Sleep").ToList();
        Assert.Equal(4, sleeps.Count);
        Assert.All(sleeps, r => Assert.Equal("System.Threading.Thread", r.DeclaringType.FullName));
        HubTest.Run(() => Woven.Call("Skipped", "Sleep", 1));

        // The attribute means nothing at run time: no use of it is left.
        var uses = types.SelectMany(t => t.CustomAttributes.Concat(t.Methods.SelectMany(m => m.CustomAttributes)));
        Assert.DoesNotContain(uses, a => a.AttributeType.Name == "SkipWeavingAttribute");
        Assert.Contains(s_originalModule.Value.GetType("AssemblyToProcess.Skipped").Methods.Single(m => m.Name == "Sleep").CustomAttributes, a => a.AttributeType.Name == "SkipWeavingAttribute");
    }

    [Fact]
    public void ATailCallStaysATailCallToTheReplacement()
    {
        var method = s_wovenModule.Value.GetType(TailFixture.TypeName).Methods.Single();
        Assert.Equal(
            ["IL_0000: ldarg.0", "IL_0001: tail.", "IL_0003: call System.Void Gevent.Patches.ThreadPatches::Sleep(System.Int32)", "IL_0008: ret"],
            method.Body.Instructions.Select(i => i.ToString()));
        HubTest.Run(() => Woven.Assembly.GetType(TailFixture.TypeName)!.GetMethod("TailSleep")!.Invoke(null, [1]));
    }

    [Theory]
    [InlineData("AssemblyToProcess.Sleeping", "Plain")]
    [InlineData("AssemblyToProcess.Sleeping", "TryCatchFinally")]
    [InlineData("AssemblyToProcess.Streams", "MethodGroup")]
    [InlineData("AssemblyToProcess.Streams", "Generic")]
    [InlineData("AssemblyToProcess.Receivers", "get_LazyAnswer")]
    [InlineData("AssemblyToProcess.Receivers", "StructUsing")]
    public void IlSnapshotsBeforeAndAfter(string type, string method)
    {
        IlSnapshot.Check($"{type}.{method}.before", IlSnapshot.Of(s_originalModule.Value, type, method));
        IlSnapshot.Check($"{type}.{method}.after", IlSnapshot.Of(s_wovenModule.Value, type, method));
    }

    private static readonly Lazy<ModuleDefinition> s_wovenModule = new(() => ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(Woven.Result.AssemblyPath))));

    private static readonly Lazy<ModuleDefinition> s_originalModule = new(() => ModuleDefinition.ReadModule(new MemoryStream(File.ReadAllBytes(Woven.OriginalPath))));
}
