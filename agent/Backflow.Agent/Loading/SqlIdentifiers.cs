using System.Text.RegularExpressions;

namespace Backflow.Agent.Loading;

/// <summary>
/// Checks and quotes the identifiers that go into SQL text (table and column names cannot be parameters), for every
/// load target: the rules are the intersection of what SQLite and PostgreSQL take without surprises.
/// </summary>
internal static partial class SqlIdentifiers
{
    /// <summary>Plain ASCII identifiers only: anything else is almost certainly a configuration mistake, and a
    /// name that needs no quoting is one a county operator can type into <c>sqlite3</c> or <c>psql</c> without surprises.</summary>
    public static bool IsValid(string? name) => name is not null && Pattern().IsMatch(name);

    /// <summary>Returns <paramref name="name"/> or throws an <see cref="ArgumentException"/> saying what is wrong.</summary>
    public static string Require(string? name, string what)
    {
        if (!IsValid(name))
        {
            throw new ArgumentException($"{what} '{name}' is not a valid table name; use 1 to 63 ASCII letters, digits or underscores, not starting with a digit");
        }

        if (name!.StartsWith("sqlite_", StringComparison.OrdinalIgnoreCase))
        {
            throw new ArgumentException($"{what} '{name}' starts with 'sqlite_', which SQLite reserves for itself; choose another name");
        }

        return name;
    }

    /// <summary>Double-quotes an identifier; quoting even valid names keeps SQL keywords (e.g. a column called
    /// <c>order</c>) from breaking the statement.</summary>
    public static string Quote(string name) => "\"" + name.Replace("\"", "\"\"", StringComparison.Ordinal) + "\"";

    [GeneratedRegex("^[A-Za-z_][A-Za-z0-9_]{0,62}$")]
    private static partial Regex Pattern();
}
