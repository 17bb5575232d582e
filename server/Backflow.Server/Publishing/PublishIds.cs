using System.Text.RegularExpressions;
using Backflow.Server.Hosting;

namespace Backflow.Server.Publishing;

/// <summary>Publish ids become part of object names, so they are restricted to a safe alphabet.</summary>
internal static partial class PublishIds
{
    public static void Validate(string publishId)
    {
        if (!Pattern().IsMatch(publishId))
        {
            throw new UserError($"publish id '{publishId}' is not allowed; use 1-64 letters, digits, '.', '_' or '-', starting with a letter or digit");
        }
    }

    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,63}$")]
    private static partial Regex Pattern();
}
