namespace Backflow.Agent.Reconciliation;

/// <summary>Run outcomes of a reconciliation, as kept in <c>backflow_runs</c> and reported to the server.</summary>
internal static class VerificationOutcomes
{
    public const string Verified = "verified";
    public const string Diverged = "diverged";

    public static bool IsVerification(string outcome) => outcome is Verified or Diverged;
}
