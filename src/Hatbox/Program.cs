using System.CommandLine;
using Hatbox.Cli;

// No termination timeout of the command line's own: its default answered SIGTERM by killing the
// process after 2 s, in-flight requests and all. `serve` drains on SIGTERM/SIGINT itself (ServeCommand).
return await HatboxCli.Create().Parse(args).InvokeAsync(new InvocationConfiguration { ProcessTerminationTimeout = null });
