using System.CommandLine;
using Backflow.Agent.Enrollment;
using Backflow.Agent.Hosting;
using Backflow.Agent.Loading;
using Backflow.Protocol.Regions;

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
        var force = new Option<bool>("--force")
        {
            Description = "Replace an enrollment already in the state folder: the new agent's token and keys replace the old ones and every feed's "
                + "position is forgotten, so the next sync reloads each granted region from its latest snapshot. Rows of regions the new agent "
                + "is not granted stay in the local tables until you delete them.",
        };
        var command = new Command("enroll", "Registers this agent with the server once: stores its token and pins the server's signing keys in the state folder (owner-only), then prints the key fingerprint to compare with the operator's `backflow-server keys show`.")
        {
            server,
            code,
            force,
        };
        command.SetAction((parse, ct) => context.GuardAsync(parse, async output =>
        {
            using var host = context.BuildHost(parse, service: false);
            var folder = host.Services.GetRequiredService<StateFolder>();

            // Checked before the code is spent: a second enrollment into a folder would silently swap the identity,
            // and the old regions' rows would look current forever.
            var previous = folder.IsEnrolled ? folder.ReadIdentity() : null;
            if (previous is not null && !parse.GetValue(force))
            {
                throw new AgentConfigurationException(
                    $"enroll: the state folder '{folder.Root}' already belongs to {StateFolder.Describe(previous)}. "
                    + "To keep that agent, use another --state folder for the new one. To replace it, add --force: the new token and keys "
                    + "replace the old ones and every feed's position is forgotten, so the next sync reloads each granted region from its "
                    + "latest snapshot; rows of regions the new agent is not granted stay in the local tables until you delete them.");
            }

            // Forgotten before the new identity is written: a crash in between must not leave the old agent's positions
            // under the new identity (a position without its identity only means a reload from the snapshot).
            var forgotten = previous is null ? [] : await ForgetPositionsAsync(host.Services.GetRequiredService<ILoadTarget>(), ct);
            var enrollment = host.Services.GetRequiredService<EnrollmentService>();
            var (identity, keys) = await enrollment.EnrollAsync(parse.GetValue(server)!, parse.GetValue(code)!, ct);
            if (previous is not null)
            {
                await output.WriteLineAsync($"Replaced {StateFolder.Describe(previous)}; forgot {forgotten.Count} feed position(s), so the next sync reloads every granted region from its latest snapshot.");
                var scope = RegionScope.Parse(identity.Regions);
                var dropped = forgotten.Where(p => !RegionCode.TryParse(p.Region, out var region) || !scope.Covers(region)).Select(p => $"{p.Dataset}/{p.Region}").ToList();
                if (dropped.Count > 0)
                {
                    await output.WriteLineAsync($"Not granted to the new agent, their rows stay in the local tables until you delete them: {string.Join(", ", dropped)}.");
                }
            }

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

    private static async Task<IReadOnlyList<FeedPosition>> ForgetPositionsAsync(ILoadTarget target, CancellationToken ct)
    {
        await target.InitializeAsync(ct);
        var positions = await target.ListPositionsAsync(ct);
        foreach (var position in positions)
        {
            await target.ForgetPositionAsync(position.Dataset, position.Region, ct);
        }

        return positions;
    }
}
