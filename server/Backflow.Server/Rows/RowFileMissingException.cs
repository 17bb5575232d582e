namespace Backflow.Server.Rows;

/// <summary>
/// A row file the metadata database says holds committed rows cannot be opened. Usually `compact` or a full re-base
/// replaced it just as a read began, and a new read transaction sees its successor; if it keeps failing, the file was lost.
/// </summary>
internal sealed class RowFileMissingException(string message, Exception inner) : InvalidOperationException(message, inner);
