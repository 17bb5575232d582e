namespace Backflow.Server.Hosting;

/// <summary>A problem with what a person asked for (bad option, unknown id, refused grant): its message is
/// shown as is, without a stack trace, and the command exits with code 2.</summary>
internal class UserError(string message) : Exception(message);
