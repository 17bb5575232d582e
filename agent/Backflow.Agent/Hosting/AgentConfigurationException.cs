namespace Backflow.Agent.Hosting;

/// <summary>A configuration value is wrong; the message names the key and an example of a good value.</summary>
internal sealed class AgentConfigurationException(string message) : Exception(message);
