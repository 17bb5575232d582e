namespace Backflow.Server.Security;

/// <summary>A publisher or operator token as operators see it: never the token or its hash.</summary>
/// <param name="Datasets">The datasets a publisher token is limited to; null means every dataset (and for operator tokens, which are never limited).</param>
internal sealed record TokenRecord(string TokenId, string Role, IReadOnlyList<string>? Datasets, string CreatedAt, string? RevokedAt)
{
    public string State => RevokedAt is not null ? "revoked" : "active";
}
