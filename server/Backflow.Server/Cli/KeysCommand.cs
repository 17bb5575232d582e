using System.CommandLine;
using System.Text.Json;
using Backflow.Server.Hosting;
using Backflow.Server.Keys;
using Spectre.Console;

namespace Backflow.Server.Cli;

/// <summary><c>backflow-server keys show</c>: the public signing key and its fingerprint, to read out to county IT.</summary>
internal static class KeysCommand
{
    public static Command Build()
    {
        var json = GlobalOptions.Json();
        var show = new Command("show", "Show the manifest signing key (created on first use) and its fingerprint") { json };
        show.SetAction(async parse =>
        {
            using var cli = CliContext.Create(parse);
            var keys = cli.Get<SigningKeyStore>();
            var key = keys.Current.PublicKey;
            if (parse.GetValue(json))
            {
                await cli.Output.WriteLineAsync(JsonSerializer.Serialize(new { keyId = key.KeyId, fingerprint = key.Fingerprint, publicKeyPem = key.ToPem(), keyFile = keys.KeyFile }, ServerJson.Options));
                return 0;
            }

            cli.Console.WriteLine("fingerprint: " + key.Fingerprint);
            cli.Console.WriteLine("key id:      " + key.KeyId);
            cli.Console.WriteLine("private key: " + keys.KeyFile + " (owner-only; back it up, agents trust only this key)");
            cli.Console.WriteLine(key.ToPem());
            cli.Console.WriteLine("County IT compares the fingerprint with what `backflow-agent enroll` prints.");
            return 0;
        });
        var command = new Command("keys", "The manifest signing key");
        command.Subcommands.Add(show);
        return command;
    }
}
