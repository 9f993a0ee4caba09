using System.Globalization;
using System.Linq;

namespace NetGen.Mnist;

/// <summary>
/// <c>export</c>: writes a saved model in another form. <c>--weights-only FILE</c>: exactly the PyTorch module's
/// <c>state_dict</c> (parameters, buffers, batch counters; no optimizer state), for <c>load_state_dict(..., strict=True)</c>.
/// </summary>
internal static class ExportCommand
{
    public static int Run(string load, string? net, string? weightsOnly, CliContext context)
    {
        DataFiles.CheckModelExists(load, "--load");
        if (weightsOnly is null) throw new UsageException("export needs --weights-only FILE, the file to write.");
        using RunFiles files = RunFiles.Claim([new("--weights-only", weightsOnly)], load: new("--load", load));
        using INetwork network = Networks.Create(Networks.For(net, load));
        Checkpoint checkpoint = Inputs.Read(load, () => ModelFile.Load(load, network));
        ModelFile.SaveWeights(weightsOnly, network, checkpoint.Data);
        int tensors = network.Parameters.Count + network.Buffers.Count + network.BatchCounters.Count;
        new Terminal(context.Out, context.Live).Line(string.Create(CultureInfo.InvariantCulture,
            $"Wrote {weightsOnly}: the state_dict of \"{network.NetworkName}\" ({tensors} tensors: {string.Join(", ", network.Parameters.Select(p => p.Name).Concat(network.Buffers.Select(b => b.Name)).Concat(network.BatchCounters).Take(4))}{(tensors > 4 ? ", ..." : "")}), for PyTorch's load_state_dict(..., strict=True)."));
        return ExitCodes.Ok;
    }
}
