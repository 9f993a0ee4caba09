using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Spec;

/// <summary>The result of reading one nets.json: the valid networks and the diagnostics for the rest.</summary>
/// <param name="InvalidNetworkNames">Networks that have errors (already reported), so binding does not call them missing.</param>
/// <param name="IsReadable">False when the file is not valid JSON, so its network names are unknown.</param>
/// <param name="Exists">False when the compiler could not read the file at all (an AdditionalFiles item naming a file
/// that is not there, which the compiler reports as CS2001); such a file counts as absent, not as empty.</param>
internal sealed record SpecFile(string Path, EquatableArray<NetworkSpec> Networks, EquatableArray<string> InvalidNetworkNames, EquatableArray<DiagnosticInfo> Diagnostics, bool IsReadable, bool Exists = true);
