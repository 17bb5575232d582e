namespace Backflow.Agent.Downloads;

/// <summary>A downloaded extract in the staging folder whose length and SHA-256 matched its manifest.</summary>
internal sealed record StagedExtract(string Path, long Length, string Sha256);
