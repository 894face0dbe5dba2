using Npgsql;

namespace LegacyWebApp;

/// <summary>The PostgreSQL database the sample's controller queries, from <c>LEGACYWEBAPP_DATABASE</c>.</summary>
public sealed class Database(string? connectionString)
{
    /// <summary>The environment variable holding the Npgsql connection string.</summary>
    public const string Variable = "LEGACYWEBAPP_DATABASE";

    /// <summary>What to do when <see cref="Variable"/> is not set.</summary>
    public const string MissingMessage =
        $"Set {Variable} to an Npgsql connection string, for example " +
        $"{Variable}=\"Host=127.0.0.1;Username=postgres;Password=secret;Database=postgres\".";

    /// <summary>Whether <see cref="Variable"/> was set.</summary>
    public bool IsConfigured => !string.IsNullOrWhiteSpace(connectionString);

    /// <summary>The database named by <see cref="Variable"/>, which may be unset.</summary>
    public static Database FromEnvironment() => new(Environment.GetEnvironmentVariable(Variable));

    /// <summary>Opens a connection, synchronously as legacy code does.</summary>
    public NpgsqlConnection Open()
    {
        var connection = new NpgsqlConnection(connectionString);
        connection.Open();
        return connection;
    }
}
