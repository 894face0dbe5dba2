namespace AssemblyToProcess;

/// <summary>
/// Uses the test catalog, so the compiler keeps the reference to it (unused references are dropped) —
/// as a project using an add-on catalog would; the weaver finds catalogs among the references.
/// </summary>
public static class TestCatalogReference
{
    public static int ReadCalls() => Gevent.TestCatalog.PatchCalls.Count("Read");
}
