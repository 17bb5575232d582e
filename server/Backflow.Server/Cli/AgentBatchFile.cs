using System.Text;
using Backflow.Server.Agents;
using Backflow.Server.Hosting;
using Backflow.Server.Publishing.Input;
using nietras.SeparatedValues;

namespace Backflow.Server.Cli;

/// <summary>
/// The file behind <c>agents add --from-file</c>: CSV with the header <c>name,regions,datasets[,approved_by]</c>, one
/// agent per row; regions and datasets separated by <c>;</c> or by commas inside quotes. The whole file is checked before
/// any agent is created, and every problem is reported with its line, so a fixed file can simply be run again.
/// </summary>
internal static class AgentBatchFile
{
    private static readonly string[] Required = ["name", "regions", "datasets"];

    public static IReadOnlyList<AgentRequest> Read(string path, Encoding encoding, AgentRegistry registry)
    {
        CliFiles.RequireFile(path, "--from-file");
        try
        {
            return ReadValid(path, encoding, registry);
        }
        catch (DecoderFallbackException)
        {
            // Names typed in Excel on Chinese Windows arrive as GBK; read as UTF-8 they would become agents called "�ϳ���".
            throw new UserError($"--from-file {path}: the text is not valid {encoding.WebName}; save the file as UTF-8, or, if it was saved as GBK/GB18030 "
                + "(Excel's CSV on Chinese Windows), add --encoding gb18030. Nothing was created.");
        }
    }

    private static IReadOnlyList<AgentRequest> ReadValid(string path, Encoding encoding, AgentRegistry registry)
    {
        var requests = new List<AgentRequest>();
        var problems = new List<string>();
        using var text = new StreamReader(path, ChangesetEncodings.Strict(encoding), detectEncodingFromByteOrderMarks: false);
        using var reader = Sep.New(',').Reader(o => o with { Unescape = true, DisableColCountCheck = true }).From(text);
        var header = reader.Header.ColNames.Select(n => n.Trim().TrimStart('\uFEFF').ToLowerInvariant()).ToArray();
        var missing = Required.Where(c => !header.Contains(c)).ToArray();
        if (missing.Length > 0 || header.Any(c => !Required.Contains(c) && c != "approved_by"))
        {
            throw new UserError($"--from-file {path}: the header is '{string.Join(',', header)}' but must name the columns name,regions,datasets and optionally approved_by");
        }

        foreach (var row in reader)
        {
            var line = row.LineNumberFrom;
            if (row.ColCount == 1 && row[0].Span.IsWhiteSpace())
            {
                continue;
            }

            if (row.ColCount != header.Length)
            {
                problems.Add($"line {line}: {row.ColCount} fields but the header has {header.Length}; quote a field that contains commas");
                continue;
            }

            var fields = new Dictionary<string, string>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length; i++)
            {
                fields[header[i]] = row[i].ToString().Trim();
            }

            string Field(string column) => fields[column];
            var approvedBy = header.Contains("approved_by") && Field("approved_by") is { Length: > 0 } a ? a : null;
            var datasets = Field("datasets").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
            var regions = string.Join(',', Field("regions").Split([';', ','], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
            try
            {
                if (datasets.Length == 0)
                {
                    throw new UserError("datasets is empty; give one or more dataset ids separated by ';'");
                }

                registry.Validate(Field("name"), regions, datasets, approvedBy, AgentFields.Columns);
                requests.Add(new AgentRequest(Field("name"), regions, datasets, approvedBy));
            }
            catch (UserError e)
            {
                problems.Add($"line {line}: {e.Message}");
            }
        }

        if (problems.Count > 0)
        {
            throw new UserError($"--from-file {path}: nothing was created; fix these {problems.Count} problem(s) and run again:{Environment.NewLine}  "
                + string.Join(Environment.NewLine + "  ", problems));
        }

        return requests.Count > 0 ? requests : throw new UserError($"--from-file {path}: no agents in the file; add one row per agent after the header");
    }
}
