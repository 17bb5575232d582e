using Backflow.Protocol.Manifests;

namespace Backflow.Server.Tests.Functional.Kit;

/// <summary>An agent after enrollment: its id, bearer token and the keys it pinned.</summary>
internal sealed record EnrolledAgent(string AgentId, string Token, IReadOnlyList<TrustedKey> Keys);
