using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>The result of reading one nets.json: the valid networks and the diagnostics for the rest.</summary>
internal sealed record SpecFile(string Path, EquatableArray<NetworkSpec> Networks, EquatableArray<string> InvalidNetworkNames, EquatableArray<DiagnosticInfo> Diagnostics);
