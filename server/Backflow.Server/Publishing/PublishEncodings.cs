using System.Text;
using Backflow.Server.Hosting;

namespace Backflow.Server.Publishing;

/// <summary>The text encodings a CSV changeset may use: UTF-8 (default, BOM optional) or GB18030.</summary>
internal static class PublishEncodings
{
    public static Encoding Parse(string? name)
    {
        switch (name?.Trim().ToLowerInvariant())
        {
            case null or "" or "utf-8" or "utf8":
                return new UTF8Encoding(encoderShouldEmitUTF8Identifier: false, throwOnInvalidBytes: true);
            case "gb18030":
                Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
                return Encoding.GetEncoding("GB18030");
            default:
                throw new UserError($"encoding '{name}' is not supported; use utf-8 or gb18030");
        }
    }
}
