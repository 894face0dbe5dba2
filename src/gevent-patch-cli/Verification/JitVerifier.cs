using System.Reflection;
using System.Runtime.CompilerServices;
using System.Security;

namespace Gevent.Cli.Verification;

/// <summary>
/// Forces every method body of an assembly through the JIT (<see cref="RuntimeHelpers.PrepareMethod(RuntimeMethodHandle)"/>),
/// in an isolated context that is unloaded afterwards, so invalid IL is found with the method named
/// instead of at the first call in production. Generic code is compiled over <see cref="object"/>;
/// generic code whose constraints <see cref="object"/> does not meet is counted as not checked.
/// </summary>
internal static class JitVerifier
{
    private const BindingFlags Everything = BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    /// <summary>The problems found in <paramref name="path"/> (empty when all compiled), how many methods were compiled, and how many generic ones were not checked.</summary>
    public static (IReadOnlyList<string> Problems, int Compiled, int Unchecked) Verify(string path)
    {
        var context = new IsolatedLoadContext(Path.GetDirectoryName(Path.GetFullPath(path))!);
        try
        {
            var problems = new List<string>();
            var compiled = 0;
            var notChecked = 0;
            foreach (var type in Types(context.LoadFromAssemblyPath(Path.GetFullPath(path)), problems))
            {
                foreach (var method in type.GetMethods(Everything).Cast<MethodBase>().Concat(type.GetConstructors(Everything)))
                {
                    // No IL to compile: abstract, extern, P/Invoke, runtime-implemented (delegate Invoke).
                    if (method.GetMethodBody() is null)
                    {
                        continue;
                    }

                    if (!ObjectFits(method))
                    {
                        notChecked++;
                    }
                    else if (Compile(method) is { } problem)
                    {
                        problems.Add($"{type.FullName}.{method.Name}: {problem}");
                    }
                    else
                    {
                        compiled++;
                    }
                }
            }

            return (problems, compiled, notChecked);
        }
        finally
        {
            context.Unload();
        }
    }

    private static IEnumerable<Type> Types(Assembly assembly, List<string> problems)
    {
        try
        {
            return assembly.GetTypes();
        }
        catch (ReflectionTypeLoadException e)
        {
            problems.AddRange(e.LoaderExceptions.OfType<Exception>().Select(l => $"type load failed: {l.Message}").Distinct());
            return e.Types.OfType<Type>();
        }
    }

    /// <summary>Whether every generic parameter of <paramref name="method"/> and its type accepts <see cref="object"/>.</summary>
    private static bool ObjectFits(MethodBase method)
    {
        var parameters = method.DeclaringType!.GetGenericArguments().Concat(method.IsGenericMethodDefinition ? method.GetGenericArguments() : []);
        return parameters.All(p => p.IsGenericParameter
            && p.GetGenericParameterConstraints().Length == 0
            && (p.GenericParameterAttributes & GenericParameterAttributes.NotNullableValueTypeConstraint) == 0);
    }

    /// <summary>Null when <paramref name="method"/> compiled; otherwise why not.</summary>
    private static string? Compile(MethodBase method)
    {
        try
        {
            var type = method.DeclaringType!;
            if (type.IsGenericTypeDefinition)
            {
                var closed = type.MakeGenericType(type.GetGenericArguments().Select(_ => typeof(object)).ToArray());
                method = MethodBase.GetMethodFromHandle(method.MethodHandle, closed.TypeHandle)!;
            }

            var instantiation = method.IsGenericMethodDefinition ? method.GetGenericArguments().Select(_ => typeof(object).TypeHandle).ToArray() : null;
            RuntimeHelpers.PrepareMethod(method.MethodHandle, instantiation);
            return null;
        }
        catch (InvalidProgramException e)
        {
            return $"invalid IL ({e.Message})";
        }
        catch (Exception e) when (e is TypeLoadException or MissingMemberException or BadImageFormatException or FileNotFoundException or FileLoadException or VerificationException)
        {
            return $"cannot be compiled: {e.GetType().Name}: {e.Message}";
        }
    }
}
