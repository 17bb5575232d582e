namespace Backflow.Agent.Tests.Support;

/// <summary>A storage URL the test feed offers for one extract, and the expiry it announces for it.</summary>
internal sealed record DirectOffer(Uri Url, DateTimeOffset ExpiresAt);
