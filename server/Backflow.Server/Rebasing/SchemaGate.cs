using Backflow.Protocol.Catalog;
using Backflow.Server.Catalog;
using Dapper;
using Microsoft.Data.Sqlite;

namespace Backflow.Server.Rebasing;

/// <summary>
/// Keeps deltas and snapshots from going out under a schema that changed in a breaking way since the last publish:
/// an agent would either refuse them (and its feed would stay stuck) or, worse, mix rows of two schemas in one
/// table. Such a change goes through <see cref="Rebaser"/> instead, which starts every region over.
/// </summary>
internal static class SchemaGate
{
    /// <summary>Throws <see cref="RebaseRequiredException"/> when <paramref name="dataset"/>'s catalog schema cannot be
    /// published as deltas on top of what was published before.</summary>
    public static void EnsurePublishable(SqliteConnection connection, SqliteTransaction? transaction, DatasetDefinition dataset)
    {
        if (Pending(connection, transaction, dataset) is { } pending)
        {
            throw new RebaseRequiredException(dataset.Id, pending.Change, Explain(dataset.Id, pending.Version, pending.Change));
        }
    }

    /// <summary>The published schema that <paramref name="dataset"/>'s feeds stay on until a re-base; null when the
    /// catalog's schema can be published as it is (nothing published yet, unchanged, or changed additively).</summary>
    public static PendingRebase? Pending(SqliteConnection connection, SqliteTransaction? transaction, DatasetDefinition dataset)
    {
        var latest = SchemaRegistry.Latest(connection, dataset.Id, transaction);
        if (latest is null || latest.SchemaHash == dataset.SchemaHash || !HasPublished(connection, transaction, dataset.Id))
        {
            return null;
        }

        var text = connection.ExecuteScalar<string>(
            "SELECT schema_text FROM schema_versions WHERE dataset = @Id AND version = @version", new { dataset.Id, version = latest.Version }, transaction)!;
        var change = SchemaChange.Between(text, dataset);
        return change.Kind is SchemaChangeKind.None or SchemaChangeKind.Additive ? null : new PendingRebase(latest.Version, text, change);
    }

    /// <summary>What changed since <paramref name="version"/> and the command that re-bases the dataset.</summary>
    public static string Explain(string dataset, long version, SchemaChange change) =>
        change.Kind == SchemaChangeKind.Projectable
            ? $"'{dataset}': the catalog's schema changed in a breaking way since published schema version {version} ({change.Description}); "
                + "nothing was published under it. Only columns were removed or added, so the server can convert the rows it holds: "
                + $"run `backflow-server rebase --dataset {dataset}` (every region starts a new generation from a snapshot, agents rebuild their table), "
                + "then publish again; or restore the previous catalog entry."
            : $"'{dataset}': the catalog's schema changed in a breaking way since published schema version {version} ({change.Description}); "
                + $"nothing was published under it. The rows the server holds cannot be converted: {string.Join("; ", change.Blockers)}. "
                + $"Run `backflow-server rebase --dataset {dataset} --file <every live row under the new schema, CSV or Parquet>` "
                + "(every region starts a new generation from a snapshot of that file, agents rebuild their table); or restore the previous catalog entry.";

    private static bool HasPublished(SqliteConnection connection, SqliteTransaction? transaction, string dataset) =>
        connection.ExecuteScalar<long>("SELECT COUNT(*) FROM feeds WHERE dataset = @dataset", new { dataset }, transaction) > 0;
}

/// <summary>A breaking catalog change waiting for <c>backflow-server rebase</c>: the schema still published, and what changed.</summary>
internal sealed record PendingRebase(long Version, string SchemaText, SchemaChange Change);
