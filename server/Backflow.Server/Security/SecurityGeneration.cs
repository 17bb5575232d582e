using Backflow.Server.Metadata;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Security;

/// <summary>
/// Reads the metadata database's security generation (bumped by triggers on every change to agents, grants and
/// tokens, from any process) on a connection of its own, kept open: one indexed single-row read per request, instead
/// of opening a pooled connection and resolving the token with two queries.
/// </summary>
internal sealed class SecurityGeneration(MetadataDatabase database) : IDisposable
{
    private readonly Lock _lock = new();
    private SqliteConnection? _connection;
    private SqliteCommand? _read;

    public long Current()
    {
        lock (_lock)
        {
            if (_read is null)
            {
                _connection = database.Open();
                _read = _connection.CreateCommand();
                _read.CommandText = "SELECT generation FROM security_generation WHERE id = 1";
                _read.Prepare();
            }

            // Each read is its own implicit transaction, so it sees every commit made before it, by any process.
            return (long)_read.ExecuteScalar()!;
        }
    }

    public void Dispose()
    {
        lock (_lock)
        {
            _read?.Dispose();
            _connection?.Dispose();
        }
    }
}
