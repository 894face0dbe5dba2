using System.Collections;
using System.Reflection;
using System.Reflection.Emit;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Virtual and interface calls whose every override in the woven set is rewritten (testassets/ResumableCases/Virtuals.cs)
/// are linked, and the link is set at run time only where the receiver's override is resumable: an override from
/// outside the set (a subclass made at run time here, as a user's would be) runs unlinked, so a wait in it pins
/// instead of suspending a frame that its un-woven code would not save.
/// </summary>
public sealed class VirtualCallsTests
{
    /// <summary>The methods of Virtuals.cs the frames pass rewrites.</summary>
    public static readonly string[] Rewritten = ["Square::Area", "Rectangle::Area", "Counting::Next", "Doubling::Next", "VirtualRuns::Run", "CalmGauge::Read", "NarrowedRuns::Run"];

    [Fact]
    public void VirtualAndInterfaceCallsRunStacklessAndGiveTheOriginalsResults()
    {
        var original = new VirtualRuns();
        original.Run();
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(VirtualRuns), nameof(VirtualRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            Assert.Equal(original.Result, Result(woven));
            // Square 1, Rectangle 2, Tile (Rectangle's override) 2, two numbers from each of two sources 4.
            Assert.Equal(9, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Fact]
    public void AnOverrideFromOutsideTheSetRunsUnlinkedAndItsWaitPins()
    {
        var original = new VirtualRuns();
        original.Shapes.Insert(1, (Shape)Outside(typeof(Shape), original.Log));
        HubTest.Run(original.Run);
        Assert.Equal(1, original.Log.Count(l => l == "outside before"));
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(VirtualRuns)))!;
            var log = WovenResumable.Log(woven);
            ((IList)woven.GetType().GetProperty(nameof(VirtualRuns.Shapes))!.GetValue(woven)!).Insert(1, Outside(WovenResumable.TypeOf(typeof(Shape)), log));
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(VirtualRuns.Run)));
            var turns = StacklessTurns.YieldUntilDead(greenlet);

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            // A link left for the outside override would have suspended its yield and lost its frame: it would run again.
            Assert.Equal(original.Log, log);
            Assert.Equal(original.Result, Result(woven));
            Assert.Contains("pins: UnwovenFrame 1", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(9, turns);
        });
    }

    [Fact]
    public void ACallWhoseReceiverTypeAdmitsOnlyRewrittenOverridesIsLinked()
    {
        var original = new NarrowedRuns();
        original.Run();
        HubTest.Run(() =>
        {
            var (woven, greenlet, turns) = StacklessTurns.RunWoven(typeof(NarrowedRuns), nameof(NarrowedRuns.Run));

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, WovenResumable.Log(woven));
            // Two reads and the tile's two yields. Left unlinked for LockedGauge's sake, each read's yield would pin under an
            // unlinked call instead; the tile's call, narrowed to Square's override alone, would run Rectangle's unlinked.
            Assert.Equal(4, turns);
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    /// <summary>The outside override's body: logs, yields the hub, logs.</summary>
    public static int OutsideArea(object shape)
    {
        var log = (List<string>)shape.GetType().GetProperty(nameof(Shape.Log))!.GetValue(shape)!;
        log.Add("outside before");
        Greenlet.Yield();
        log.Add("outside after");
        return 100;
    }

    /// <summary>A subclass of <paramref name="shape"/> made at run time, outside any woven set, whose <c>Area</c> is <see cref="OutsideArea"/>.</summary>
    private static object Outside(Type shape, List<string> log)
    {
        var module = AssemblyBuilder.DefineDynamicAssembly(new AssemblyName("OutsideShapes"), AssemblyBuilderAccess.Run).DefineDynamicModule("OutsideShapes");
        var type = module.DefineType("OutsideShape", TypeAttributes.Public | TypeAttributes.Sealed, shape);
        var constructor = type.DefineConstructor(MethodAttributes.Public, CallingConventions.Standard, [typeof(List<string>)]);
        var il = constructor.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Ldarg_1);
        il.Emit(OpCodes.Call, shape.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance).Single());
        il.Emit(OpCodes.Ret);
        var area = type.DefineMethod(nameof(Shape.Area), MethodAttributes.Public | MethodAttributes.Virtual | MethodAttributes.HideBySig, typeof(int), Type.EmptyTypes);
        il = area.GetILGenerator();
        il.Emit(OpCodes.Ldarg_0);
        il.Emit(OpCodes.Call, typeof(VirtualCallsTests).GetMethod(nameof(OutsideArea))!);
        il.Emit(OpCodes.Ret);
        return Activator.CreateInstance(type.CreateType(), log)!;
    }

    private static int Result(object woven) => (int)woven.GetType().GetProperty(nameof(VirtualRuns.Result))!.GetValue(woven)!;
}
