using Gevent.Integration.Tests.Fixtures;
using Npgsql;

namespace Gevent.Integration.Tests;

/// <summary>The PostgreSQL fixture serves Npgsql's synchronous API (unpatched, on a plain thread).</summary>
public class PostgresFixtureTests(PostgresServer server) : IClassFixture<PostgresServer>
{
    [Fact]
    public void NpgsqlRunsSynchronousQueriesAgainstTheFixture()
    {
        using var connection = new NpgsqlConnection(server.ConnectionString);
        connection.Open();
        using var scalar = new NpgsqlCommand("SELECT 40 + 2", connection);
        Assert.Equal(42, scalar.ExecuteScalar());
        using var reader = new NpgsqlCommand("SELECT g FROM generate_series(1, 3) AS g", connection).ExecuteReader();
        var rows = new List<int>();
        while (reader.Read())
        {
            rows.Add(reader.GetInt32(0));
        }

        Assert.Equal([1, 2, 3], rows);
    }
}
