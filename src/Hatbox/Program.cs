using Hatbox.Cli;

return await HatboxCli.Create().Parse(args).InvokeAsync();
