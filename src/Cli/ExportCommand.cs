using System.Collections.Generic;
using System.Globalization;
using System.Linq;

namespace NetGen.Cli;

/// <summary>
/// <c>export</c>: writes a saved model in other forms. <c>--onnx FILE</c>: an ONNX model for inference (OnnxExport), with the
/// model's standardization in front when it has one. <c>--weights-only FILE</c>: exactly the PyTorch module's
/// <c>state_dict</c> (parameters, buffers, batch counters; no optimizer state), for <c>load_state_dict(..., strict=True)</c>.
/// Both may be given at once.
/// </summary>
internal static class ExportCommand
{
    public static int Run(string load, string? net, string? onnx, string? weightsOnly, CliContext context)
    {
        DataFiles.CheckModelExists(load, "--load");
        if (onnx is null && weightsOnly is null) throw new UsageException("export needs --onnx FILE or --weights-only FILE, the file to write.");
        var outputs = new List<FileOption>();
        if (onnx is not null) outputs.Add(new("--onnx", onnx));
        if (weightsOnly is not null) outputs.Add(new("--weights-only", weightsOnly));
        using RunFiles files = RunFiles.Claim(outputs, load: new("--load", load));
        using INetwork network = Networks.Create(Networks.For(net, load, context.DefaultNetwork));
        Checkpoint checkpoint = Networks.Load(load, network); // a model file or an ONNX file, as eval and predict read it
        var terminal = new Terminal(context.Out, context.Live);
        if (onnx is not null)
        {
            OnnxExport.Save(onnx, network, checkpoint.Data);
            string standardized = checkpoint.Data?.Standardization is null ? "" : ", standardizing its raw input rows first";
            terminal.Line(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {onnx}: \"{network.NetworkName}\" as an ONNX model (opset {OnnxExport.OpsetVersion}, input \"{OnnxExport.InputName}\" [batch, {string.Join(", ", Shape(network))}], output \"{OnnxExport.OutputName}\" [batch, {network.OutputSize}]{standardized})."));
        }
        if (weightsOnly is not null)
        {
            ModelFile.SaveWeights(weightsOnly, network, checkpoint.Data);
            int tensors = network.Parameters.Count + network.Buffers.Count + network.BatchCounters.Count;
            terminal.Line(string.Create(CultureInfo.InvariantCulture,
                $"Wrote {weightsOnly}: the state_dict of \"{network.NetworkName}\" ({tensors} tensors: {string.Join(", ", network.Parameters.Select(p => p.Name).Concat(network.Buffers.Select(b => b.Name)).Concat(network.BatchCounters).Take(4))}{(tensors > 4 ? ", ..." : "")}), for PyTorch's load_state_dict(..., strict=True)."));
        }
        return ExitCodes.Ok;
    }

    /// <summary>One input row's shape, from the architecture's first part (<c>input 784</c>, <c>input 1x28x28</c>).</summary>
    private static string[] Shape(INetwork network) =>
        network.Architecture.Split("; ")[0]["input ".Length..].Split('x');
}
