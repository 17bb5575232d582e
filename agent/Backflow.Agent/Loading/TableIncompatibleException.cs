namespace Backflow.Agent.Loading;

/// <summary>The local table cannot hold the extract's rows without losing or reshaping data; the message names the
/// column and why. Nothing was applied.</summary>
internal sealed class TableIncompatibleException(string message) : Exception(message);
