using System.Reflection;
using System.Runtime.CompilerServices;
using Gevent.CompilerServices;
using ResumableCases;

namespace Gevent.Weaver.Tests.Resumable;

/// <summary>
/// Generic methods and methods of generic types made resumable (testassets/ResumableCases/Generics.cs): their frame
/// classes are generic over the type's and the method's parameters, compile over reference and value types, and
/// keep a <c>T</c> across a stackless suspension.
/// </summary>
public sealed class GenericsTests
{
    /// <summary>The methods of Generics.cs the frames pass rewrites (all of them: every wait is linked).</summary>
    public static readonly string[] Rewritten =
    [
        "Generics::Echo", "Generics::Twice", "Generics::Largest", "Generics::Made", "Generics::Labels",
        "Box`1::Pair", "Box`1::Swap", "Box`1::Echo", "Echoes`1::Run", "GenericRuns::Run",
    ];

    // The woven assembly's own types, which its constraints (ILabelled) name; reference types first.
    private static readonly Lazy<Type[]> s_arguments = new(() =>
        [
            WovenResumable.TypeOf(typeof(Tag)), WovenResumable.TypeOf(typeof(Blank)), typeof(string), WovenResumable.TypeOf(typeof(Point)), typeof(int),
            // For Structs.cs's Stepper<T> (where T : struct, IStep).
            WovenResumable.TypeOf(typeof(YieldingStep)),
        ]);

    [Fact]
    public void AFrameClassIsGenericOverTheTypesParametersThenTheMethodsWithTheirConstraints()
    {
        var box = WovenResumable.TypeOf(typeof(Box<>));
        var pair = Frame(box, "Pair");
        Assert.Equal(["T", "TOther"], pair.GetGenericArguments().Select(a => a.Name));
        Assert.Equal("<Pair>d__Frame0`1", pair.Name);
        // Saved across Pair's suspensions: the box's T, the method's TOther (and the receiver, a Box<T>).
        var fields = pair.GetFields().Select(f => f.FieldType).ToList();
        Assert.Contains(pair.GetGenericArguments()[0], fields);
        Assert.Contains(pair.GetGenericArguments()[1], fields);

        var generics = WovenResumable.TypeOf(typeof(Generics));
        var largest = Frame(generics, "Largest").GetGenericArguments().Single();
        Assert.True(largest.GenericParameterAttributes.HasFlag(GenericParameterAttributes.NotNullableValueTypeConstraint));
        var comparable = Assert.Single(largest.GetGenericParameterConstraints(), c => c.IsInterface);
        Assert.Equal(typeof(IComparable<>), comparable.GetGenericTypeDefinition());
        Assert.Equal(largest, comparable.GetGenericArguments().Single());
        var made = Frame(generics, "Made").GetGenericArguments().Single();
        Assert.Equal(GenericParameterAttributes.ReferenceTypeConstraint | GenericParameterAttributes.DefaultConstructorConstraint, made.GenericParameterAttributes);
        Assert.Equal(typeof(ILabelled).FullName, Assert.Single(Frame(generics, "Labels").GetGenericArguments().Single().GetGenericParameterConstraints()).FullName);
    }

    [Fact]
    public void EveryWovenGenericMethodCompilesOverAReferenceTypeAndAValueType()
    {
        var compiled = new List<string>();
        foreach (var type in WovenResumable.Assembly.GetTypes().Where(t => t.Namespace == typeof(Generics).Namespace))
        {
            var methods = type.GetMethods(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Static | BindingFlags.Instance | BindingFlags.DeclaredOnly).Cast<MethodBase>()
                .Concat(type.GetConstructors(BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance))
                .Where(m => !m.IsAbstract && m.ContainsGenericParameters);
            foreach (var method in methods)
            {
                var kinds = new[] { true, false }.Where(reference => Instantiation(type, method, reference) is { } instantiation
                    // The JIT checks the IL of this instantiation: a frame field or reference of the wrong type throws here.
                    && Prepared(method, instantiation)).ToList();
                var parameters = type.GetGenericArguments().Concat(method.IsGenericMethodDefinition ? method.GetGenericArguments() : []);
                var constrained = parameters.Any(p => (p.GenericParameterAttributes & (GenericParameterAttributes.ReferenceTypeConstraint | GenericParameterAttributes.NotNullableValueTypeConstraint)) != 0);
                Assert.True(kinds.Count == 2 || (constrained && kinds.Count == 1), $"{type.Name}::{method.Name} compiled over {kinds.Count} kinds of type");
                compiled.Add(type.Name + "::" + method.Name);
            }
        }

        Assert.Superset(Rewritten.Where(m => !m.StartsWith("GenericRuns", StringComparison.Ordinal)).ToHashSet(), compiled.ToHashSet());
        // The frame classes' constructors too (generic over the methods' parameters).
        Assert.Contains(compiled, m => m.StartsWith("<Pair>d__Frame", StringComparison.Ordinal));
    }

    [Fact]
    public void OutsideAGreenletWovenGenericCodeComputesWhatTheOriginalDoes()
    {
        var original = new GenericRuns();
        original.Run();
        var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(GenericRuns)))!;
        WovenResumable.Body(woven, nameof(GenericRuns.Run))();
        Assert.Equal(original.Log, WovenResumable.Log(woven));
        Assert.Contains("largest point 3,0", original.Log);
    }

    [Fact]
    public void AStacklessGreenletSuspendsInGenericFramesAndLogsWhatTheOriginalDoes()
    {
        var original = new GenericRuns();
        original.Run();
        HubTest.Run(() =>
        {
            var woven = Activator.CreateInstance(WovenResumable.TypeOf(typeof(GenericRuns)))!;
            var log = WovenResumable.Log(woven);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(woven, nameof(GenericRuns.Run)));
            var turns = new List<string>();
            while (!greenlet.Dead && turns.Count < 1_000)
            {
                Greenlet.Yield();
                turns.Add(Hub.Current.FormatRunInfo());
            }

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(original.Log, log);
            // It parked at every wait of the generic frames (one turn of the main greenlet each), stackless each time.
            Assert.True(turns.Count > 20, $"{turns.Count} turns");
            Assert.All(turns.SkipLast(1), t => Assert.Contains(", stackless", t, StringComparison.Ordinal));
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    [Theory]
    [InlineData(typeof(Point))]
    [InlineData(typeof(Tag))]
    public void AGenericFrameKeepsItsTAcrossAStacklessSuspension(Type argument)
    {
        var value = argument == typeof(Point) ? (object)new Point(4, 2) : new Tag("kept");
        HubTest.Run(() =>
        {
            var echoes = Activator.CreateInstance(WovenResumable.TypeOf(typeof(Echoes<>)).MakeGenericType(argument), value)!;
            var log = WovenResumable.Log(echoes);
            var greenlet = ResumableGreenlet.Spawn(WovenResumable.Body(echoes, nameof(Echoes<int>.Run)));
            Greenlet.Yield();
            Assert.Contains(", stackless", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
            Assert.Equal(["echo " + value], log);
            greenlet.Join();

            Assert.True(greenlet.Successful, greenlet.Exception?.ToString());
            Assert.Equal(["echo " + value, "echoed " + value], log);
            Assert.Equal(value, echoes.GetType().GetProperty(nameof(Echoes<int>.Result))!.GetValue(echoes));
            Assert.DoesNotContain("pins:", Hub.Current.FormatRunInfo(), StringComparison.Ordinal);
        });
    }

    private static Type Frame(Type owner, string method) =>
        owner.GetNestedTypes(BindingFlags.NonPublic).Single(t => t.Name.StartsWith($"<{method}>", StringComparison.Ordinal));

    /// <summary>Type arguments of one kind (reference or value) for the type's then the method's parameters that their constraints accept, or null.</summary>
    private static Type[]? Instantiation(Type type, MethodBase method, bool reference)
    {
        var typeCount = type.GetGenericArguments().Length;
        var count = typeCount + (method.IsGenericMethodDefinition ? method.GetGenericArguments().Length : 0);
        var kind = s_arguments.Value.Where(a => a.IsValueType != reference).ToList();
        IEnumerable<Type[]> candidates = [[]];
        for (var i = 0; i < count; i++)
        {
            candidates = candidates.SelectMany(prefix => kind.Select(a => prefix.Append(a).ToArray()));
        }

        return candidates.FirstOrDefault(arguments =>
        {
            try
            {
                // Reflection checks the constraints: an argument they refuse throws ArgumentException.
                var closed = typeCount > 0 ? type.MakeGenericType(arguments[..typeCount]) : type;
                if (method is MethodInfo { IsGenericMethodDefinition: true } generic)
                {
                    ((MethodInfo)MethodBase.GetMethodFromHandle(generic.MethodHandle, closed.TypeHandle)!).MakeGenericMethod(arguments[typeCount..]);
                }

                return true;
            }
            catch (ArgumentException)
            {
                return false;
            }
        });
    }

    private static bool Prepared(MethodBase method, Type[] instantiation)
    {
        RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation.Select(a => a.TypeHandle).ToArray());
        return true;
    }
}
