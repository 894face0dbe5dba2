using NappingLibrary;

// Outside a greenlet a patched Thread.Sleep is the original; what matters is that the runtime it calls loads.
Napper.Nap(1);
var loaded = AppDomain.CurrentDomain.GetAssemblies().Any(a => a.GetName().Name == "Gevent.Runtime");
Console.WriteLine($"gevent_runtime_loaded={loaded}");
