namespace Backflow.Server.Storage;

/// <summary>A store whose objects agents can fetch straight from storage with a signed, expiring URL.</summary>
internal interface IReadLinkSigner
{
    /// <summary>Whether the store holds a key to sign with (a connection string with a SAS token has none).</summary>
    bool CanSign { get; }

    Uri SignReadLink(string name, DateTimeOffset expiresOn);
}
