using System.Collections.Generic;
using System.Globalization;
using System.Text;
using NetGen.Generator.Model;

namespace NetGen.Generator.Emit;

/// <summary>C# names and literals derived from the spec, in one place so every emitter agrees.</summary>
internal static class Names
{
    /// <summary>Fully qualified types the kernels use (generated code never relies on the user's usings).</summary>
    public const string Vector = "global::System.Numerics.Vector";
    public const string Unsafe = "global::System.Runtime.CompilerServices.Unsafe";
    public const string MemoryMarshal = "global::System.Runtime.InteropServices.MemoryMarshal";

    /// <summary>The header of a loop that steps <paramref name="index"/> a whole vector at a time while one fits below <paramref name="bound"/>.</summary>
    public static string VectorLoop(string index, string bound) =>
        $"for (; {index} <= {bound} - {Vector}<float>.Count; {index} += {Vector}<float>.Count)";

    /// <summary><c>fc1</c> -> <c>Fc1</c>, <c>hidden_out</c> -> <c>HiddenOut</c>.</summary>
    public static string Pascal(string name)
    {
        var sb = new StringBuilder();
        bool upper = true;
        foreach (char c in name)
        {
            if (c == '_' || c == '-')
            {
                upper = true;
                continue;
            }
            sb.Append(upper ? char.ToUpperInvariant(c) : c);
            upper = false;
        }
        return sb.ToString();
    }

    /// <summary><c>fc1</c> -> <c>fc1</c>, <c>Hidden</c> -> <c>hidden</c>: the prefix of a layer's fields.</summary>
    public static string Camel(string name)
    {
        string pascal = Pascal(name);
        return char.ToLowerInvariant(pascal[0]) + pascal.Substring(1);
    }

    public static string Weight(DenseLayer layer) => "_" + Camel(layer.Name) + "W";

    public static string Bias(DenseLayer layer) => "_" + Camel(layer.Name) + "B";

    /// <summary>The training buffer of a layer's outputs y, <c>[MaxBatchSize, units]</c>.</summary>
    public static string Output(DenseLayer layer) => "_" + Camel(layer.Name) + "Y";

    /// <summary>The training buffer of dLoss/d(pre-activation) of a layer, laid out like <see cref="Output"/>.</summary>
    public static string OutputGrad(DenseLayer layer) => "_" + Camel(layer.Name) + "DZ";

    /// <summary>The training buffer of a layer's pre-activations z, kept for activations whose derivative needs them.</summary>
    public static string PreActivation(DenseLayer layer) => "_" + Camel(layer.Name) + "Z";

    /// <summary>The training buffer of a layer's dropout mask: 0 for a dropped value, 1/(1-rate) for a kept one.</summary>
    public static string Keep(DenseLayer layer) => "_" + Camel(layer.Name) + "Keep";

    /// <summary>The local variable that stands for a field in a shard of the training pass: <c>_fc1Y</c> -> <c>fc1Y</c>.</summary>
    public static string Local(string field) => field.Substring(1);

    public static string In(DenseLayer layer) => Pascal(layer.Name) + "In";

    public static string Out(DenseLayer layer) => Pascal(layer.Name) + "Out";

    /// <summary>A float literal that round-trips, in the invariant culture: <c>0.001f</c>, <c>1E-08f</c>.</summary>
    public static string Float(float value) => value.ToString("R", CultureInfo.InvariantCulture) + "f";

    /// <summary>A double literal that round-trips, in the invariant culture: <c>0.999</c>, <c>1E-08</c>.</summary>
    public static string Double(double value)
    {
        string text = value.ToString("R", CultureInfo.InvariantCulture);
        return text.IndexOfAny(new[] { '.', 'E' }) >= 0 ? text : text + ".0";
    }

    public static string Int(long value) => value.ToString(CultureInfo.InvariantCulture);

    /// <summary>A C# string literal.</summary>
    public static string String(string value)
    {
        var sb = new StringBuilder("\"");
        foreach (char c in value)
        {
            switch (c)
            {
                case '"': sb.Append("\\\""); break;
                case '\\': sb.Append("\\\\"); break;
                default:
                    if (c < ' ' || c > '~') sb.Append("\\u").Append(((int)c).ToString("x4", CultureInfo.InvariantCulture));
                    else sb.Append(c);
                    break;
            }
        }
        return sb.Append('"').ToString();
    }


    /// <summary>Every trainable tensor of the network in PyTorch's order (fc1.weight, fc1.bias, fc2.weight, ...).</summary>
    public static IEnumerable<ParameterTensor> Tensors(IEnumerable<DenseLayer> layers)
    {
        foreach (DenseLayer layer in layers)
        {
            yield return new ParameterTensor(Weight(layer), layer.Name + ".weight", $"{Out(layer)}, {In(layer)}", $"{In(layer)} * {Out(layer)}");
            if (layer.HasBias) yield return new ParameterTensor(Bias(layer), layer.Name + ".bias", Out(layer), Out(layer));
        }
    }
}

/// <summary>One trainable tensor: its field, its PyTorch name, its PyTorch shape and its length, as C# expressions.</summary>
internal sealed record ParameterTensor(string Field, string TorchName, string Shape, string Length);
