using System;
using System.Collections.Generic;
using System.Globalization;
using Microsoft.CodeAnalysis.Text;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Language;
using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>
/// The rules a network must follow as a whole, checked once its values are read: layer names that would give the same
/// C# members, where dropout may stand, the size limits, and whether the output layer fits the loss.
/// </summary>
internal static class SpecRules
{
    public static void Check(ParsedNetwork network, SpecParser report)
    {
        CheckNames(network, report);
        CheckDropout(network, report);
        CheckBatchNorm(network, report);
        if (!network.LayersComplete) return; // the sizes below need every layer
        if (!CheckDense(network, report)) return;
        if (!CheckShapes(network, report, out Shape output, out long parameters, out long widest)) return;
        if (!CheckSize(network, report, parameters, widest)) return;
        CheckOutputs(network, report, output);
    }

    /// <summary>NG2008: two layers whose names give the same members (case and '_' aside).</summary>
    private static void CheckNames(ParsedNetwork network, SpecParser report)
    {
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (ParsedLayer layer in network.Layers)
        {
            if (layer.Name is null) continue;
            string key = Identifiers.MemberKey(layer.Name);
            if (!seen.Add(key))
            {
                TextSpan span = layer.Node.Find("name")?.Value.Span ?? layer.Node.Span;
                report.Report(DiagnosticDescriptors.InvalidLayerName, span, SpecMessages.LayerNameClash(layer.Name, Identifiers.Pascal(layer.Name)));
            }
        }
    }

    /// <summary>NG2011: dropout drops the outputs of a layer before it, so it needs a layer with outputs of its own (dense, conv2d, ...) before it and any layer after it, and one is enough.</summary>
    private static void CheckDropout(ParsedNetwork network, SpecParser report)
    {
        bool afterLayer = false;
        int count = network.LayersNode.Items.Count;
        ParsedLayer? previous = null;
        foreach (ParsedLayer layer in network.Layers)
        {
            if (layer.Type is not (SpecWords.DropoutLayer or SpecWords.ActivationLayer)) afterLayer = true;
            if (layer.Type == SpecWords.DropoutLayer)
            {
                string where = Capitalized(SpecMessages.Layer(layer.Index));
                TextSpan anchor = layer.Node.Find("type")!.Value.Span;
                if (previous is { Type: SpecWords.DropoutLayer } && previous.Index == layer.Index - 1)
                    report.Report(DiagnosticDescriptors.MisplacedDropout, anchor, SpecMessages.DropoutAfterDropout(where));
                else if (!afterLayer)
                    report.Report(DiagnosticDescriptors.MisplacedDropout, anchor, SpecMessages.DropoutFirst(where));
                else if (layer.Index == count - 1)
                    report.Report(DiagnosticDescriptors.MisplacedDropout, anchor, SpecMessages.DropoutLast(where));
            }
            previous = layer;
        }
    }

    /// <summary>NG2014: batch norm normalizes the outputs of a layer before it (so not the network's inputs), and once is enough.</summary>
    private static void CheckBatchNorm(ParsedNetwork network, SpecParser report)
    {
        bool afterLayer = false;
        ParsedLayer? previous = null;
        foreach (ParsedLayer layer in network.Layers)
        {
            if (layer.Type == SpecWords.BatchNormLayer)
            {
                string where = Capitalized(SpecMessages.Layer(layer.Index));
                TextSpan anchor = layer.Node.Find("type")!.Value.Span;
                if (!afterLayer)
                    report.Report(DiagnosticDescriptors.MisplacedBatchNorm, anchor, SpecMessages.BatchNormFirst(where));
                else if (previous is { Type: SpecWords.BatchNormLayer } && previous.Index == layer.Index - 1)
                    report.Report(DiagnosticDescriptors.MisplacedBatchNorm, anchor, SpecMessages.BatchNormAfterBatchNorm(where));
            }
            else if (layer.Type is not (SpecWords.DropoutLayer or SpecWords.ActivationLayer))
            {
                afterLayer = true;
            }
            previous = layer;
        }
    }

    /// <summary>NG2012: a network needs a dense layer, for its parameters and its outputs; reported at <c>layers</c>.</summary>
    private static bool CheckDense(ParsedNetwork network, SpecParser report)
    {
        foreach (ParsedLayer layer in network.Layers)
        {
            if (layer.Spec is DenseLayerSpec) return true;
        }
        report.Report(DiagnosticDescriptors.NoDenseLayer, network.LayersNode.Span, network.Name, SpecMessages.NothingToTrain);
        return false;
    }

    /// <summary>
    /// NG2013: each layer must fit the rows the layer before it gives (each kind says what it needs); the shapes, parameter
    /// count and widest row of a network whose layers all fit.
    /// </summary>
    private static bool CheckShapes(ParsedNetwork network, SpecParser report, out Shape output, out long parameters, out long widest)
    {
        output = network.Input;
        parameters = 0;
        widest = output.Size;
        foreach (ParsedLayer layer in network.Layers)
        {
            Layers.LayerUnit unit = Layers.LayerUnits.For(layer.Spec!);
            if (unit.Misfit(layer.Spec!, output) is { } misfit)
            {
                TextSpan span = misfit.Property is not null && layer.Node.Find(misfit.Property) is JsonProperty property ? property.Value.Span : layer.Node.Span;
                report.Report(DiagnosticDescriptors.LayerDoesNotFit, span, Capitalized(SpecMessages.Layer(layer.Index)), output.ToString(), misfit.Message);
                return false;
            }
            parameters += unit.ParameterCount(layer.Spec!, output);
            output = unit.OutputShape(layer.Spec!, output);
            widest = Math.Max(widest, output.Size);
        }
        return true;
    }

    /// <summary>NG2009 for too many parameters; NG2004 for a batch whose widest buffer would be too large.</summary>
    private static bool CheckSize(ParsedNetwork network, SpecParser report, long parameters, long widest)
    {
        if (parameters > Limits.MaxParameters)
        {
            report.Report(DiagnosticDescriptors.NetworkTooLarge, network.NameSpan, network.Name,
                parameters.ToString("N0", CultureInfo.InvariantCulture), Limits.MaxParameters.ToString("N0", CultureInfo.InvariantCulture));
            return false;
        }
        long maxBatch = Limits.MaxBufferValues / widest;
        if (network.Training.BatchSize > maxBatch)
        {
            TextSpan span = network.BatchSizeNode?.Span ?? network.NameSpan;
            report.Report(DiagnosticDescriptors.OutOfRange, span, "batch_size", network.Training.BatchSize.ToString(CultureInfo.InvariantCulture),
                SpecMessages.BatchTooLarge(maxBatch, widest));
            return false;
        }
        return true;
    }

    /// <summary>NG2010: the output layer must have as many units as the loss needs; reported at its <c>units</c> (or the <c>shape</c>).</summary>
    private static void CheckOutputs(ParsedNetwork network, SpecParser report, Shape output)
    {
        int outputs = (int)Math.Min(output.Size, int.MaxValue);
        JsonNode? last = null;
        foreach (ParsedLayer layer in network.Layers)
        {
            if (layer.Spec is DenseLayerSpec) last = layer.Node;
        }
        string? needs = network.Loss switch
        {
            _ when output.Spatial => SpecMessages.FlatOutputs,
            LossKind.CrossEntropy when outputs < 2 => SpecMessages.CrossEntropyOutputs,
            LossKind.BinaryCrossEntropy when outputs != 1 => SpecMessages.BinaryCrossEntropyOutputs,
            _ => null,
        };
        if (needs is null) return;
        TextSpan span = network.LayersNode.Kind == JsonKind.Array && last?.Find("units") is JsonProperty units ? units.Value.Span : network.LayersNode.Span;
        string has = output.Spatial ? output + " values" : outputs.ToString(CultureInfo.InvariantCulture) + (outputs == 1 ? " unit" : " units");
        report.Report(DiagnosticDescriptors.OutputSizeMismatch, span, has, SpecWords.Losses.Of(network.Loss), needs);
    }

    private static string Capitalized(string s) => char.ToUpperInvariant(s[0]) + s.Substring(1);
}
