using Gevent.CompilerServices;

namespace Gevent.Servers;

/// <summary>The handler of <see cref="HttpServer.Create"/>: every request gets the text's result as <c>text/plain; charset=utf-8</c>.</summary>
/// <param name="text">The user's function.</param>
/// <param name="textResumable">Whether <paramref name="text"/> follows the frame contract; linked to only then.</param>
internal sealed class TextHandler(Func<HttpRequest, string> text, bool textResumable)
{
    /// <remarks>Resumable, with no frame: called again with the same request and response to resume.</remarks>
    [Resumable]
    public void Handle(HttpRequest request, HttpResponse response)
    {
        var frames = FrameStack.Current;
        var linked = frames is not null && frames.Enter();
        if (!(linked && frames!.IsResuming))
        {
            response.Headers["Content-Type"] = "text/plain; charset=utf-8";
        }

        if (linked && textResumable)
        {
            frames!.Link();
        }

        var result = text(request);
        if (frames is { IsSuspending: true })
        {
            return;
        }

        response.Write(result);
    }
}
