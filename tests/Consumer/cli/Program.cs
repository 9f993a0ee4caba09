return NetGen.Cli.NetGenCli.Run(args);
