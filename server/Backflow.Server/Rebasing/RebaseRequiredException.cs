namespace Backflow.Server.Rebasing;

/// <summary>
/// The catalog's schema of a dataset changed in a way deltas cannot carry: nothing was published. The message
/// names the change and the exact <c>backflow-server rebase</c> command to run. HTTP answers it as
/// <c>409 urn:backflow:problem:rebase-required</c>; the CLI prints it and exits with 2.
/// </summary>
internal sealed class RebaseRequiredException(string dataset, SchemaChange change, string message) : Exception(message)
{
    public string Dataset { get; } = dataset;

    public SchemaChange Change { get; } = change;
}
