using System;
using System.Collections.Generic;
using System.Collections.Immutable;
using System.IO;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Binding;
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using NetGen.Generator.Spec;

namespace NetGen.Generator;

/// <summary>
/// Reads nets.json from AdditionalFiles and, for every class marked <c>[NetGen.Network("name")]</c>,
/// emits that network's trainer into the class.
/// </summary>
[Generator(LanguageNames.CSharp)]
public sealed class NetworkGenerator : IIncrementalGenerator
{
    public const string NetworkAttributeName = "NetGen.NetworkAttribute";

    /// <summary>Names of the pipeline steps, so tests can check what was cached.</summary>
    public static class TrackingNames
    {
        public const string SpecFiles = nameof(SpecFiles);
        public const string NetworkClasses = nameof(NetworkClasses);
        public const string Bindings = nameof(Bindings);
        public const string Models = nameof(Models);
        public const string Plans = nameof(Plans);
        public const string Stubs = nameof(Stubs);
    }

    public void Initialize(IncrementalGeneratorInitializationContext context)
    {
        IncrementalValuesProvider<SpecFile> specFiles = context.AdditionalTextsProvider
            .Where(static file => IsSpecFile(file.Path))
            .Select(static (file, ct) => SpecParser.Parse(file.Path, file.GetText(ct)))
            .WithTrackingName(TrackingNames.SpecFiles);

        IncrementalValuesProvider<ClassTarget> classes = context.SyntaxProvider
            .ForAttributeWithMetadataName(
                NetworkAttributeName,
                predicate: static (node, _) => node is ClassDeclarationSyntax,
                transform: static (ctx, ct) => ClassTarget.From(ctx, ct))
            .WithTrackingName(TrackingNames.NetworkClasses);

        IncrementalValuesProvider<NetworkBinding> bindings = classes
            .Combine(specFiles.Where(static f => f.Exists).Collect())
            .Select(static (pair, _) => NetworkBinding.Bind(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Bindings);

        IncrementalValuesProvider<GenerationModel> models = bindings
            .Where(static b => b.Model is not null)
            .Select(static (b, _) => b.Model!)
            .WithTrackingName(TrackingNames.Models);

        IncrementalValuesProvider<NetworkPlan> plans = models
            .Select(static (model, _) => Planner.Plan(model))
            .WithTrackingName(TrackingNames.Plans);

        // [assembly: NetworkCatalog]: a class for each network no [Network] class binds, and a catalog of them all by name.
        IncrementalValueProvider<Catalog?> catalog = context.CompilationProvider
            .Select(static (compilation, _) => Catalog.RequestedNamespace(compilation))
            .Combine(specFiles.Where(static f => f.Exists).Collect())
            .Combine(bindings.Collect())
            .Select(static (input, _) => input.Left.Left is string ns ? Catalog.Build(ns, input.Left.Right, input.Right) : null);
        context.RegisterSourceOutput(catalog, static (spc, catalog) =>
        {
            if (catalog is null) return;
            var made = catalog.Made.Select(Planner.Plan).ToList();
            foreach (NetworkPlan plan in made) spc.AddSource(plan.Class.HintName, NetworkEmitter.Emit(plan));
            spc.AddSource("NetworkCatalog.g.cs", CatalogEmitter.Emit(catalog.Namespace, catalog.Classes, made));
        });

        // NetworkRegistry: one module initializer registering every network this compilation can make by name (the catalog's
        // networks when there is a catalog, else each bound [Network] class), for code not compiled with them (NetGen.Cli).
        IncrementalValueProvider<EquatableArray<(string Name, string Class)>> registrations = catalog
            .Combine(bindings.Collect())
            .Select(static (input, _) => input.Left is { } withCatalog ? withCatalog.Classes : Registrations(input.Right));
        context.RegisterSourceOutput(registrations, static (spc, classes) =>
        {
            if (classes.Count > 0) spc.AddSource(RegistrationEmitter.HintName, RegistrationEmitter.Emit(classes));
        });

        context.RegisterSourceOutput(specFiles, static (spc, file) => Report(spc, file.Diagnostics));
        context.RegisterSourceOutput(bindings, static (spc, binding) => Report(spc, binding.Diagnostics));
        context.RegisterSourceOutput(plans, static (spc, plan) => spc.AddSource(plan.Class.HintName, NetworkEmitter.Emit(plan)));

        // A network that could not be generated still gets its class's members, as a stub that throws, so that the
        // user's code compiles and the build reports the NG errors alone.
        IncrementalValuesProvider<NetworkStub> stubs = bindings
            .Where(static b => b.Stub is not null)
            .Select(static (b, _) => b.Stub!)
            .WithTrackingName(TrackingNames.Stubs);
        context.RegisterSourceOutput(stubs, static (spc, stub) => spc.AddSource(Planner.Class(stub.Class).HintName, NetworkEmitter.EmitStub(stub)));
    }

    /// <summary>Without a catalog: each network a [Network] class binds (<see cref="Catalog.BoundClasses"/>), by name.</summary>
    internal static EquatableArray<(string Name, string Class)> Registrations(ImmutableArray<NetworkBinding> bindings) =>
        new(Catalog.BoundClasses(bindings).Select(e => (e.Key, e.Value)).ToArray());

    /// <summary>nets.json itself or any <c>*.nets.json</c>.</summary>
    internal static bool IsSpecFile(string path)
    {
        string name = Path.GetFileName(path);
        return name.Equals("nets.json", StringComparison.OrdinalIgnoreCase)
            || name.EndsWith(".nets.json", StringComparison.OrdinalIgnoreCase);
    }

    private static void Report(SourceProductionContext context, EquatableArray<DiagnosticInfo> diagnostics)
    {
        foreach (DiagnosticInfo diagnostic in diagnostics) context.ReportDiagnostic(diagnostic.ToDiagnostic());
    }
}
