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
/// <param name="Stub">When there is no model but the class itself is fine (partial, at namespace level, neither generic
/// nor static): the stub that keeps its members, so that the user's code compiles and only the NG errors are reported.</param>
internal sealed record NetworkBinding(GenerationModel? Model, EquatableArray<DiagnosticInfo> Diagnostics, NetworkStub? Stub = null)
{
    public static NetworkBinding Bind(ClassTarget target, ImmutableArray<SpecFile> files)
    {
        var diagnostics = new List<DiagnosticInfo>(target.Diagnostics);
        string? name = target.NetworkName;
        if (name is null) return new NetworkBinding(null, new EquatableArray<DiagnosticInfo>(diagnostics)); // the C# compiler reports the bad argument

        // The class can hold generated members unless it is not partial, nested, generic or static (NG3003, NG3004).
        bool classIsFine = target.Diagnostics.All(d => d.Descriptor.Id == DiagnosticDescriptors.SeveralNetworks.Id);
        NetworkBinding Failed(string reason) => new(null, new EquatableArray<DiagnosticInfo>(diagnostics),
            classIsFine ? new NetworkStub(target.Class, name, $"Network \"{name}\" was not generated because {reason}; fix the NetGen errors of the build and build again.") : null);

        if (files.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSpecFile, target.NameLocation, name));
            return Failed("the project has no nets.json (NG3002)");
        }

        var definedIn = files.Where(f => f.Networks.Any(n => n.Name == name) || f.InvalidNetworkNames.Contains(name)).Select(f => Path.GetFileName(f.Path)).ToList();
        if (definedIn.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateNetwork, target.NameLocation, name, string.Join(" and ", definedIn)));
            return Failed("it is defined in more than one spec file (NG3005)");
        }
        NetworkSpec? spec = files.SelectMany(f => f.Networks).FirstOrDefault(n => n.Name == name);
        if (spec is null)
        {
            // A network that exists but has errors is already reported at its place in nets.json.
            // A file that is not valid JSON is reported there too, and may well define the network.
            var withErrors = files.Where(f => !f.IsReadable || f.InvalidNetworkNames.Contains(name)).ToList();
            if (withErrors.Count == 0)
            {
                string known = string.Join(", ", files.SelectMany(f => f.Networks.Select(n => n.Name).Concat(f.InvalidNetworkNames)).Distinct().OrderBy(n => n, StringComparer.Ordinal).Select(n => "\"" + n + "\""));
                diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NetworkNotFound, target.NameLocation, name, known.Length == 0 ? "(none)" : known));
                return Failed("nets.json has no network of that name (NG3001)");
            }
            string ids = string.Join(", ", withErrors.SelectMany(f => f.Diagnostics).Select(d => d.Descriptor.Id).Distinct().OrderBy(id => id, StringComparer.Ordinal));
            return Failed($"its spec has errors ({ids})");
        }
        if (target.Diagnostics.Count == 0 && target.CanGenerate) return new NetworkBinding(new GenerationModel(target.Class, spec), new EquatableArray<DiagnosticInfo>(diagnostics));
        return Failed("its class has more than one [Network] attribute (NG3006)");
    }
}
