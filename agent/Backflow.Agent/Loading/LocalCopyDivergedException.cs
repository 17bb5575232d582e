namespace Backflow.Agent.Loading;

/// <summary>After applying an extract the local row count or checksum differs from the server's; rolled back.</summary>
internal sealed class LocalCopyDivergedException(string message) : Exception(message);
