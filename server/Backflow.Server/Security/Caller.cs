using Backflow.Protocol.Regions;

namespace Backflow.Server.Security;

/// <summary>Who made a request, decided from the bearer token alone.</summary>
internal abstract record Caller(string Id)
{
    /// <summary>The name written into audit records.</summary>
    public abstract string Actor { get; }
}

/// <summary>An enrolled, unrevoked agent with its region scope and granted datasets.</summary>
internal sealed record AgentCaller(string Id, string Name, RegionScope Scope, IReadOnlySet<string> Datasets) : Caller(Id)
{
    public override string Actor => "agent:" + Id;

    public bool MayRead(string dataset, RegionCode region) => Datasets.Contains(dataset) && Scope.Covers(region);
}

/// <summary>A publisher token, limited to some datasets or (when <see cref="Datasets"/> is null) all.</summary>
internal sealed record PublisherCaller(string Id, IReadOnlySet<string>? Datasets) : Caller(Id)
{
    public override string Actor => "publisher:" + Id;

    public bool MayPublish(string dataset) => Datasets is null || Datasets.Contains(dataset);
}

/// <summary>An operator token (provincial data bureau): fleet status and audit.</summary>
internal sealed record OperatorCaller(string Id) : Caller(Id)
{
    public override string Actor => "operator:" + Id;
}
