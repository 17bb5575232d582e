using System.CommandLine;
using Backflow.Agent.Enrollment;

namespace Backflow.Agent.Cli;

/// <summary>`backflow-agent enroll --server URL --code CODE`.</summary>
internal static class EnrollCommand
{
    public static Command Create(CliContext context)
    {
        var server = new Option<Uri>("--server")
        {
            Description = "The Backflow server's address as given by the provincial data bureau, e.g. https://backflow.example.gov.cn",
            Required = true,
            CustomParser = result =>
            {
                var text = result.Tokens[^1].Value;
                if (Uri.TryCreate(text, UriKind.Absolute, out var uri) && uri.Scheme is "http" or "https")
                {
                    return uri;
                }

                result.AddError($"--server '{text}' is not an http(s) address; give it as the bureau wrote it, e.g. https://backflow.example.gov.cn");
                return null;
            },
        };
        var code = new Option<string>("--code")
        {
            Description = "The one-time enrollment code from the provincial operator (case, spaces and hyphens do not matter). It expires; ask for a new one if it is refused.",
            Required = true,
        };
        var command = new Command("enroll", "Registers this agent with the server once: stores its token and pins the server's signing keys in the state folder (owner-only), then prints the key fingerprint to compare with the operator's `backflow-server keys show`.")
        {
            server,
            code,
        };
        command.SetAction((parse, ct) => CliContext.GuardAsync(parse, async output =>
        {
            using var host = context.BuildHost(parse, service: false);
            var enrollment = host.Services.GetRequiredService<EnrollmentService>();
            var (identity, keys) = await enrollment.EnrollAsync(parse.GetValue(server)!, parse.GetValue(code)!, ct);
            await output.WriteLineAsync($"Enrolled as {identity.AgentId} for regions {identity.Regions}.");
            await output.WriteLineAsync($"State folder: {host.Services.GetRequiredService<StateFolder>().Root}");
            foreach (var key in keys)
            {
                await output.WriteLineAsync($"Server signing key fingerprint: {key.Fingerprint}");
            }

            await output.WriteLineAsync("Compare the fingerprint with the one the provincial operator reads from `backflow-server keys show`; if they differ, do not run the agent and call the operator.");
            return ExitCodes.Ok;
        }));
        return command;
    }
}
