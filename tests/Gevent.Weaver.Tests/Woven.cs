using System.Reflection;
using Fody;

namespace Gevent.Weaver.Tests;

/// <summary>
/// AssemblyToProcess woven once per test run through Fody's own test helper (the real ModuleWeaver,
/// a real catalog lookup through the references), plus the hand-made <c>tail.</c> fixture.
/// </summary>
internal static class Woven
{
    private static readonly Lazy<TestResult> s_run = new(() =>
        new ModuleWeaver().ExecuteTestRun(OriginalPath, runPeVerify: false, beforeExecuteCallback: TailFixture.Add));

    public static string OriginalPath => Path.Combine(AppContext.BaseDirectory, "AssemblyToProcess.dll");

    public static TestResult Result => s_run.Value;

    public static Assembly Assembly => Result.Assembly;

    /// <summary>The unwoven assembly, as compiled.</summary>
    public static Assembly Original => typeof(AssemblyToProcess.Sleeping).Assembly;

    public static object? Call(Assembly assembly, string type, string method, params object?[] arguments)
    {
        var target = assembly.GetType("AssemblyToProcess." + type, throwOnError: true)!.GetMethod(method, BindingFlags.Public | BindingFlags.Static)!;
        if (target.IsGenericMethodDefinition)
        {
            // Generic scenarios take their type arguments from the arguments given.
            target = target.MakeGenericMethod(arguments.Take(target.GetGenericArguments().Length).Select(a => a!.GetType()).ToArray());
        }

        return target.Invoke(null, BindingFlags.DoNotWrapExceptions, null, arguments, null);
    }

    public static object? Call(string type, string method, params object?[] arguments) => Call(Assembly, type, method, arguments);
}
