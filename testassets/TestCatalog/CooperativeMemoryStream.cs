namespace Gevent.TestCatalog;

/// <summary>What a constructor patch returns: a subclass the original's callers cannot tell apart.</summary>
public sealed class CooperativeMemoryStream(byte[] buffer) : MemoryStream(buffer);
