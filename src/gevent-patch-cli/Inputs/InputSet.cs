namespace Gevent.Cli.Inputs;

/// <summary>What the path arguments expanded to: the assemblies, the folders they came from, and the arguments that matched nothing.</summary>
internal sealed record InputSet(IReadOnlyList<Input> Inputs, IReadOnlyList<string> Folders, IReadOnlyList<string> Errors);
