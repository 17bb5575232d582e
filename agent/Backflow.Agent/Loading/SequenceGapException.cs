namespace Backflow.Agent.Loading;

/// <summary>The extract is not the next sequence of its feed; nothing was applied.</summary>
internal sealed class SequenceGapException(string message) : Exception(message);
