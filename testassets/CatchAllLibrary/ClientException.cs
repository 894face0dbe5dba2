namespace CatchAllLibrary;

/// <summary>The library's own exception, as drivers have (NpgsqlException, RedisException…).</summary>
public sealed class ClientException(string message, Exception? innerException = null) : Exception(message, innerException);
