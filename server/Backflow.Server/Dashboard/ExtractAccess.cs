using Backflow.Server.Audit;

namespace Backflow.Server.Dashboard;

/// <summary>
/// One row of the agent page's audit of extracts: a download through the server, or a direct (SAS) link to the extract
/// in blob storage, with the file and expiry read from the record's detail.
/// </summary>
internal sealed record ExtractAccess(string At, string Kind, string? Dataset, string? Region, long? Sequence, long? Bytes, string? FileName,
    string? ExpiresAt, string? Detail)
{
    public static readonly string[] Kinds = [AuditKinds.Download, AuditKinds.SasIssued];

    /// <summary>The label key of the row's kind in <see cref="Labels"/>.</summary>
    public string LabelKey => Kind == AuditKinds.SasIssued ? "sas-issued" : "download";

    public static ExtractAccess From(AuditRecord record) =>
        record.Kind == AuditKinds.SasIssued && SasIssuedDetail.TryParse(record.Detail, out var file, out var expires)
            ? new(record.At, record.Kind, record.Dataset, record.Region, record.Sequence, record.Bytes, file, expires, null)
            : new(record.At, record.Kind, record.Dataset, record.Region, record.Sequence, record.Bytes, null, null,
                record.Kind == AuditKinds.SasIssued ? record.Detail : null);
}
