using System.Globalization;
using System.Text;

namespace Backflow.EndToEnd.Tests.Faults;

/// <summary>Changesets of the sample dataset <c>market-entities</c> across three counties; <c>version</c> changes every row.</summary>
internal static class MarketCsv
{
    public const string Dataset = "market-entities";

    public static readonly string[] Regions = ["330102", "330106", "330108"];

    public static string Write(string path, int rows, int version)
    {
        var text = new StringBuilder("uscc,entity_name,entity_type,legal_representative,registered_capital,established_on,business_scope,address,county_code,status,registration_authority,updated_at\n");
        var inv = CultureInfo.InvariantCulture;
        for (var i = 0; i < rows; i++)
        {
            var region = Regions[i % Regions.Length];
            text.Append(inv, $"9133{i:D14},主体{i},有限责任公司,王伟,{i % 5000}.{version % 100:D2},2015-03-0{1 + (i % 9)},软件开发,浙江省杭州市{i}号,{region},存续{version},杭州市市场监督管理局,2026-01-01T00:00:{i % 60:D2}.{version:D6}Z\n");
        }

        File.WriteAllText(path, text.ToString(), new UTF8Encoding(false));
        return path;
    }
}
