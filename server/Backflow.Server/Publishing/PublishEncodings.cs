using System.Text;
using Backflow.Server.Hosting;

namespace Backflow.Server.Publishing;

/// <summary>The text encodings a CSV changeset may use: UTF-8 (default, BOM optional) or GB18030 (alias gbk, gb2312, cp936).</summary>
internal static class PublishEncodings
{
    public static Encoding Parse(string? name)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "utf-8" or "utf8":
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            // GBK and GB2312 are subsets of GB18030: a file in either decodes the same, so the names people know work.
            case "gb18030" or "gbk" or "gb2312" or "cp936":
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return Encoding.GetEncoding("GB18030");
            default:
                throw new UserError($"encoding '{name}' is not supported; use utf-8, or gb18030 (which also reads GBK and GB2312 files)");
        }
    }
}
