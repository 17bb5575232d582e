using Backflow.Server.Cli;

return await ServerCli.RunAsync(args);
