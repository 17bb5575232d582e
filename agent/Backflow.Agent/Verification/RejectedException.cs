namespace Backflow.Agent.Verification;

/// <summary>A manifest or extract failed verification; nothing of it was applied.</summary>
internal sealed class RejectedException(RejectionReason reason, string message) : Exception(message)
{
    public RejectionReason Reason { get; } = reason;

    /// <summary>How status and reports show it, e.g. <c>HashMismatch: …</c>, so the reason stays machine-readable.</summary>
    public string Describe() => $"{Reason}: {Message}";
}
