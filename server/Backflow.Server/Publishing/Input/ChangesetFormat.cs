namespace Backflow.Server.Publishing.Input;

/// <summary>The file formats a publisher may upload changes in.</summary>
internal enum ChangesetFormat
{
    Csv,
    Parquet,
}
