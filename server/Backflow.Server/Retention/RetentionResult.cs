namespace Backflow.Server.Retention;

/// <summary>What retention removed from one feed: sequences <see cref="FromSequence"/>..<see cref="ToSequence"/>.</summary>
internal sealed record RetentionResult(string Dataset, string Region, long FromSequence, long ToSequence, long Extracts, long Bytes, long OldestSequence);
