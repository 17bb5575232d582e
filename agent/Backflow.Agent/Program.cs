using Backflow.Agent.Cli;

return await new AgentCli().RunAsync(args, Console.Out, Console.Error);
