using NetGen.Cli;

// netgen-mnist: trains, evaluates and runs the networks of nets.json on MNIST: NetGen.Cli's command line (`--help`) for the
// networks of this project (MnistNet, MnistCnn and the catalog's classes for every other network of nets.json).
// Exit codes: 0 done, 1 bad input or usage, 2 failure during training, 130 stopped with Ctrl+C.

return NetGenCli.Run(args, new CliSettings { ProgramName = "netgen-mnist", DefaultNetwork = "mnist" });
