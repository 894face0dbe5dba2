namespace ResumableCases;

/// <summary>
/// Exception handlers around suspending calls: each body logs what ran, yields (a suspension in a greenlet) and
/// throws at the step named by <c>throwAt</c> ("before" the first yield, "after" a resume, "outer" in an
/// enclosing block after the inner one finished, or none), so the woven and the original runs can be compared.
/// </summary>
public sealed class Handlers(string throwAt) : ScriptedSteps(throwAt)
{
    /// <summary>The bodies the exception-handling matrix runs.</summary>
    public static readonly string[] Bodies =
    [
        nameof(TryCatch), nameof(TryFinally), nameof(TryCatchFinally), nameof(NestedInTry), nameof(Filtered),
        nameof(LoopOfTries), nameof(LoopInTry), nameof(ValueAcross), nameof(CalleeSuspends), nameof(ReadInHandlersOnly),
        nameof(TryFirstInUsing),
    ];

    /// <summary>The bodies that suspend inside a handler as well as in its try block.</summary>
    public static readonly string[] HandlerBodies = [nameof(SuspendInTryAndFinally), nameof(SuspendInTryAndCatch)];

    /// <summary>The steps a body may throw at; "" throws nowhere.</summary>
    public static readonly string[] ThrowPoints = ["", "before", "after", "outer"];

    public void TryCatch()
    {
        Log.Add("start");
        try
        {
            Step("before");
            Suspend();
            Step("after");
        }
        catch (InvalidOperationException e)
        {
            Log.Add("caught " + e.Message);
        }

        Step("outer");
        Log.Add("end");
    }

    public void TryFinally()
    {
        try
        {
            Step("before");
            Suspend();
            Step("after");
        }
        finally
        {
            Log.Add("finally");
        }

        Step("outer");
        Log.Add("end");
    }

    public void TryCatchFinally()
    {
        try
        {
            Step("before");
            Suspend();
            Step("after");
        }
        catch (InvalidOperationException e) when (e.Message != "outer")
        {
            Log.Add("caught " + e.Message);
        }
        finally
        {
            Log.Add("finally");
        }

        Log.Add("end");
    }

    /// <summary>A try/finally inside a try/catch/finally, suspending in both the inner and the outer block.</summary>
    public void NestedInTry()
    {
        try
        {
            Log.Add("outer try");
            try
            {
                Step("before");
                Suspend();
                Step("after");
            }
            finally
            {
                Log.Add("inner finally");
            }

            Suspend();
            Step("outer");
        }
        catch (InvalidOperationException e)
        {
            Log.Add("caught " + e.Message);
        }
        finally
        {
            Log.Add("outer finally");
        }

        Log.Add("end");
    }

    /// <summary>A filter that logs when it runs, so running it during a suspension (or not after a resume) shows.</summary>
    public void Filtered()
    {
        try
        {
            Step("before");
            Suspend();
            Step("after");
            Suspend();
            Step("outer");
        }
        catch (InvalidOperationException e) when (Logged("filter " + e.Message) && e.Message != "outer")
        {
            Log.Add("caught " + e.Message);
        }
        catch (InvalidOperationException)
        {
            Log.Add("caught by the second handler");
        }

        Log.Add("end");
    }

    /// <summary>A try entered three times: a resume inside one entry must not dispatch again at the next.</summary>
    public void LoopOfTries()
    {
        for (var i = 0; i < 3; i++)
        {
            try
            {
                Step(i == 0 ? "before" : "next");
                Suspend();
                Step(i == 1 ? "after" : "next");
            }
            catch (InvalidOperationException e)
            {
                Log.Add("caught " + e.Message + " " + i);
            }
            finally
            {
                Log.Add("finally " + i);
            }
        }

        Step("outer");
    }

    /// <summary>A do-while loop that starts its try block: its back branch goes to the block's first instruction.</summary>
    public void LoopInTry()
    {
        var i = 0;
        try
        {
            do
            {
                Suspend();
                i++;
                Step(i == 2 ? "after" : "next");
            }
            while (i < 3);
        }
        finally
        {
            Log.Add("finally " + i);
        }

        Step("outer");
    }

    /// <summary>Locals assigned inside the block and read in the handler and after it, across suspensions.</summary>
    public void ValueAcross()
    {
        long total = 1;
        var text = "x";
        try
        {
            total += 10;
            Suspend();
            text += "y";
            Step("after");
            total *= 3;
        }
        catch (InvalidOperationException)
        {
            total = -total;
        }
        finally
        {
            text += "z";
        }

        Log.Add(text + " " + total);
    }

    /// <summary>Locals read only by a filter, a catch and a finally: live across the suspension only through the handlers.</summary>
    public void ReadInHandlersOnly()
    {
        var caughtNote = "noted " + ThrowAt;
        var finallyNote = "finally after " + Log.Count;
        try
        {
            Suspend();
            Step("after");
        }
        catch (InvalidOperationException) when (Logged("filter " + caughtNote))
        {
            Log.Add("caught " + caughtNote);
        }
        finally
        {
            Log.Add(finallyNote);
        }
    }

    /// <summary>A rewritten callee suspends inside the block and returns a value after its resume.</summary>
    public void CalleeSuspends()
    {
        try
        {
            var square = Steps.Square(7, 0);
            Step("after");
            Log.Add("square " + square);
        }
        finally
        {
            Log.Add("finally");
        }
    }

    /// <summary>Sleeps until killed inside a try/finally nested in a try/catch/finally.</summary>
    /// <summary>
    /// A try block with no suspension first in a <c>using</c> block that suspends: both blocks start at one instruction,
    /// where the dispatch of the <c>using</c> block goes.
    /// </summary>
    public void TryFirstInUsing()
    {
        using var scope = new LoggedScope(Log);
        try
        {
            Step("before");
        }
        finally
        {
            Log.Add("inner finally");
        }

        Suspend();
        Step("after");
    }

    public void ParkInNestedTry()
    {
        try
        {
            try
            {
                Log.Add("parked");
                Thread.Sleep(Timeout.Infinite);
                Log.Add("woke");
            }
            finally
            {
                Log.Add("inner finally");
            }
        }
        catch (InvalidOperationException)
        {
            Log.Add("caught");
        }
        finally
        {
            Log.Add("outer finally");
        }
    }

    /// <summary>Suspends inside a finally block only: the analysis pins that site (InsideHandler), and with no other site the method is left as compiled.</summary>
    public void SuspendInFinally()
    {
        try
        {
            Log.Add("try");
        }
        finally
        {
            Suspend();
            Log.Add("finally");
        }
    }

    /// <summary>Suspends inside a catch block: pinned as a finally is.</summary>
    public void SuspendInCatch()
    {
        try
        {
            Step("before");
        }
        catch (InvalidOperationException)
        {
            Suspend();
            Log.Add("caught");
        }
    }

    /// <summary>
    /// Suspends inside a try block and inside its finally block: the first site is linked (stackless), the one in the
    /// finally is left unlinked, so the method is rewritten and only that call pins if it waits.
    /// </summary>
    public void SuspendInTryAndFinally()
    {
        var note = "note";
        try
        {
            Log.Add("try");
            Step("before");
            Suspend();
            note = "resumed";
            Step("after");
        }
        finally
        {
            Suspend();
            Log.Add("finally " + note);
        }

        Step("outer");
        Suspend();
        Log.Add("end " + note);
    }

    /// <summary>Suspends inside a try block and inside its catch block: as <see cref="SuspendInTryAndFinally"/>, with a catch.</summary>
    public void SuspendInTryAndCatch()
    {
        try
        {
            Log.Add("try");
            Step("before");
            Suspend();
            Step("after");
        }
        catch (InvalidOperationException e)
        {
            Suspend();
            Log.Add("caught " + e.Message);
        }

        Step("outer");
        Suspend();
        Log.Add("end");
    }

    /// <summary>Calls the two bodies above after a stackless suspension: their own suspensions pin.</summary>
    public void ThenSuspendInHandlers()
    {
        Suspend();
        SuspendInFinally();
        SuspendInCatch();
        Log.Add("end");
    }

    private bool Logged(string line)
    {
        Log.Add(line);
        return true;
    }

    /// <summary>Logs its disposal.</summary>
    private sealed class LoggedScope(List<string> log) : IDisposable
    {
        public void Dispose() => log.Add("disposed");
    }
}
