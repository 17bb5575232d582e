using System.Text;

namespace Backflow.Server.Rebasing;

/// <summary>A re-base of a dataset to the catalog's schema.</summary>
/// <param name="Rows">Every live row under the new schema (CSV or Parquet, like a changes file); null to re-encode the
/// rows the server holds, which only a schema that removed columns allows.</param>
internal sealed record RebaseRequest(string Dataset, Stream? Rows, Encoding Encoding, string Actor);
