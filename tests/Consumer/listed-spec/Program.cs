using var tiny = new TinyNet();
using var other = new OtherNet();
Console.WriteLine($"{tiny.NetworkName} {TinyNet.ParameterCount}, {other.NetworkName} {OtherNet.ParameterCount}");
