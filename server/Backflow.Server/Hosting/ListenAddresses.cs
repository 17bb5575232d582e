using Microsoft.AspNetCore.Connections;

namespace Backflow.Server.Hosting;

/// <summary>
/// The <c>--urls</c> a person types, checked before Kestrel sees them, and the usual ways of failing to listen turned
/// into one line that says what to do: Kestrel's own answers are a stack trace ("Invalid url", "address already in use").
/// </summary>
internal static class ListenAddresses
{
    public static void Validate(string urls)
    {
        foreach (var url in urls.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
        {
            // Kestrel also accepts wildcard hosts (http://*:5080, http://+:5080), which Uri does not parse.
            var candidate = url.Replace("://*", "://0.0.0.0", StringComparison.Ordinal).Replace("://+", "://0.0.0.0", StringComparison.Ordinal);
            if (!Uri.TryCreate(candidate, UriKind.Absolute, out var uri) || (uri.Scheme != Uri.UriSchemeHttp && uri.Scheme != Uri.UriSchemeHttps)
                || uri.AbsolutePath != "/")
            {
                throw new UserError($"--urls: '{url}' is not an address to listen on; give scheme, host and port, e.g. http://127.0.0.1:5080 "
                    + "(several separated by ';', http://0.0.0.0:5080 for every interface)");
            }
        }
    }

    /// <summary>Starts the host; a port that is taken or not allowed becomes a <see cref="UserError"/>.</summary>
    public static async Task StartAsync(WebApplication app, CancellationToken cancellationToken)
    {
        try
        {
            await app.StartAsync(cancellationToken);
        }
        catch (IOException e) when (e.InnerException is AddressInUseException)
        {
            throw new UserError($"cannot listen: {e.Message.TrimEnd('.')}. Another program (perhaps another backflow-server) holds the port; stop it, or choose another with --urls");
        }
        catch (IOException e)
        {
            throw new UserError($"cannot listen: {e.Message.TrimEnd('.')}. Check the address in --urls (or Kestrel settings); ports below 1024 need administrator rights");
        }
    }
}
