// The network's name and size, which the incremental case changes through nets.json between builds.
using var tiny = new TinyNet();
Console.WriteLine($"{tiny.NetworkName} {TinyNet.ParameterCount}");
