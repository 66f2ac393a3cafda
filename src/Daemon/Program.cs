using Ipvs.Daemon.Cli;

return await CliApp.Build().Parse(args).InvokeAsync();
