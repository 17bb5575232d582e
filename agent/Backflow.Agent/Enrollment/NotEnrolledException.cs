namespace Backflow.Agent.Enrollment;

/// <summary>The state folder has no usable enrollment; the message says which folder and what to run.</summary>
internal sealed class NotEnrolledException(string message) : Exception(message);
