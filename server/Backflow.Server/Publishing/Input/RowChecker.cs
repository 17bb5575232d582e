using Backflow.Protocol.Catalog;
using Backflow.Protocol.Regions;
using Backflow.Protocol.Rows;

namespace Backflow.Server.Publishing.Input;

/// <summary>
/// The checks every parsed value goes through whatever file it came from: nullability, the representation rules of
/// <see cref="RowValues"/> (decimal fit, UTC microseconds) and a valid region code in the region column (dataset-wide
/// <c>000000</c> only where the catalog allows it).
/// </summary>
internal static class RowChecker
{
    // The region code last accepted on this thread, as the very string read (readers intern repeated text): a file's
    // region column repeats a few codes row after row, and strings cannot change, so it need not be parsed again.
    [ThreadStatic]
    private static string? t_acceptedRegion;

    [ThreadStatic]
    private static DatasetDefinition? t_acceptedFor;

    /// <summary>Returns null when the value is acceptable in column <paramref name="ordinal"/>, else the broken rule.</summary>
    public static string? Check(DatasetDefinition dataset, int ordinal, object? value)
    {
        ArgumentNullException.ThrowIfNull(dataset);
        var column = dataset.Columns[ordinal];
        if (value is null && !column.Nullable)
        {
            return dataset.KeyOrdinals.Contains(ordinal)
                ? "null is not allowed in a primary key column; every row needs a value here"
                : "null is not allowed in this column (nullable: false); give every row a value";
        }

        var rule = RowValues.Check(column, value);
        if (rule is not null)
        {
            return rule;
        }

        if (ordinal == dataset.RegionOrdinal && value is string text)
        {
            if (ReferenceEquals(text, t_acceptedRegion) && ReferenceEquals(dataset, t_acceptedFor))
            {
                return null;
            }

            if (!RegionCode.TryParse(text, out var region, out var error))
            {
                return error;
            }

            if (region.Level == RegionLevel.Nationwide && !dataset.DatasetWideRows)
            {
                return $"000000 marks a dataset-wide row, which every grantee of '{dataset.Id}' would receive whatever its county; "
                    + "give the row its county's code, or, if the dataset really has reference rows for everyone, set \"datasetWideRows\": true in its catalog entry";
            }

            t_acceptedRegion = text;
            t_acceptedFor = dataset;
        }

        return null;
    }
}
