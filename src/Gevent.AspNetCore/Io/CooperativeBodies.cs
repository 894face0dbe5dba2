using Microsoft.AspNetCore.Http.Features;

namespace Gevent.AspNetCore.Io;

/// <summary>Replaces a request's body streams with ones whose synchronous reads and writes park the greenlet, not the thread.</summary>
internal static class CooperativeBodies
{
    public static void Install(IFeatureCollection features, bool allowSynchronousIO)
    {
        var bodyControl = features.Get<IHttpBodyControlFeature>();
        bodyControl?.AllowSynchronousIO = allowSynchronousIO;

        if (features.Get<IHttpRequestFeature>() is { } request)
        {
            request.Body = new CooperativeBodyStream(request.Body, bodyControl);
        }

        if (features.Get<IHttpResponseBodyFeature>() is { } response)
        {
            features.Set<IHttpResponseBodyFeature>(new CooperativeResponseBodyFeature(response, bodyControl));
        }
    }
}
