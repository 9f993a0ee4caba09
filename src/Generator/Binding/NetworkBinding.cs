using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;
using NetGen.Generator.Spec;

namespace NetGen.Generator.Binding;

/// <summary>A class bound to its network, or the reasons it could not be.</summary>
internal sealed record NetworkBinding(GenerationModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static NetworkBinding Bind(ClassTarget target, ImmutableArray<SpecFile> files)
    {
        var diagnostics = new List<DiagnosticInfo>(target.Diagnostics);
        string? name = target.NetworkName;
        if (name is null) return new NetworkBinding(null, new EquatableArray<DiagnosticInfo>(diagnostics)); // the C# compiler reports the bad argument

        if (files.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSpecFile, target.NameLocation, name));
            return new NetworkBinding(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var definedIn = files.Where(f => f.Networks.Any(n => n.Name == name) || f.InvalidNetworkNames.Contains(name)).Select(f => Path.GetFileName(f.Path)).ToList();
        if (definedIn.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateNetwork, target.NameLocation, name, string.Join(" and ", definedIn)));
            return new NetworkBinding(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }
        NetworkSpec? spec = files.SelectMany(f => f.Networks).FirstOrDefault(n => n.Name == name);
        if (spec is null)
        {
            // A network that exists but has errors is already reported at its place in nets.json.
            // A file that is not valid JSON is reported there too, and may well define the network.
            bool reported = files.Any(f => !f.IsReadable || f.InvalidNetworkNames.Contains(name));
            if (!reported)
            {
                string known = string.Join(", ", files.SelectMany(f => f.Networks.Select(n => n.Name).Concat(f.InvalidNetworkNames)).Distinct().OrderBy(n => n, StringComparer.Ordinal).Select(n => "\"" + n + "\""));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotFound, target.NameLocation, name, known.Length == 0 ? "(none)" : known));
            }
            return new NetworkBinding(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }
        GenerationModel? model = target.Diagnostics.Count == 0 && target.CanGenerate ? new GenerationModel(target.Class, spec) : null;
        return new NetworkBinding(model, new EquatableArray<DiagnosticInfo>(diagnostics));
    }
}
