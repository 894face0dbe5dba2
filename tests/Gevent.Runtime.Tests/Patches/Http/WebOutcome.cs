using System.Net;

#pragma warning disable SYSLIB0014 // Describes the outcomes of the obsolete WebRequest API.

namespace Gevent.Tests.Patches.Http;

/// <summary>How a call ended, as text to compare side by side: its result, or its exception in the detail callers see.</summary>
internal static class WebOutcome
{
    /// <summary>Runs <paramref name="call"/>: its result as text (<paramref name="show"/>), or its exception described.</summary>
    public static string Of<T>(Func<T> call, Func<T, string> show)
    {
        T result;
        try
        {
            result = call();
        }
        catch (Exception e)
        {
            var described = Describe(e);
            (e as WebException)?.Response?.Dispose();
            return described;
        }

        return show(result);
    }

    /// <summary>The exception's type; for a web exception also its status, its response's status code, and what it wraps.</summary>
    public static string Describe(Exception e) => e switch
    {
        WebException web => $"{nameof(WebException)} {web.Status} {(web.Response as HttpWebResponse)?.StatusCode} [{(web.InnerException is { } inner ? Describe(inner) : "")}]",
        AggregateException aggregate => $"{nameof(AggregateException)} [{string.Join(", ", aggregate.InnerExceptions.Select(Describe))}]",
        _ => e.GetType().Name,
    };
}
