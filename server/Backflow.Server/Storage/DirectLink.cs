namespace Backflow.Server.Storage;

/// <summary>A read-only URL for one extract in storage, and when it stops working.</summary>
internal sealed record DirectLink(Uri Url, DateTimeOffset ExpiresAt);
