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
using NetGen.Generator.Emit;
using NetGen.Generator.Model;
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

        IncrementalValuesProvider<Binding> bindings = classes
            .Combine(specFiles.Where(static f => f.Exists).Collect())
            .Select(static (pair, _) => Binding.Bind(pair.Left, pair.Right))
            .WithTrackingName(TrackingNames.Bindings);

        IncrementalValuesProvider<GenerationModel> models = bindings
            .Where(static b => b.Model is not null)
            .Select(static (b, _) => b.Model!)
            .WithTrackingName(TrackingNames.Models);

        context.RegisterSourceOutput(specFiles, static (spc, file) => Report(spc, file.Diagnostics));
        context.RegisterSourceOutput(bindings, static (spc, binding) => Report(spc, binding.Diagnostics));
        context.RegisterSourceOutput(models, static (spc, model) =>
            spc.AddSource(NetworkEmitter.HintName(model.Class), NetworkEmitter.Emit(model)));
    }

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

/// <summary>What the generator needs to know about one <c>[Network]</c> class, as plain values.</summary>
/// <param name="CanGenerate">False when the class has errors of its own (reported by this or another declaration's target).</param>
internal sealed record ClassTarget(NetworkClass Class, string? NetworkName, LocationInfo? NameLocation, EquatableArray<DiagnosticInfo> Diagnostics, bool CanGenerate = true)
{
    public static ClassTarget From(GeneratorAttributeSyntaxContext context, CancellationToken ct)
    {
        var symbol = (INamedTypeSymbol)context.TargetSymbol;
        var syntax = (ClassDeclarationSyntax)context.TargetNode;
        string ns = symbol.ContainingNamespace.IsGlobalNamespace ? "" : symbol.ContainingNamespace.ToDisplayString();
        string fullName = ns.Length == 0 ? symbol.Name : ns + "." + symbol.Name;
        var cls = new NetworkClass(ns, symbol.Name, SyntaxFacts.GetText(symbol.DeclaredAccessibility), fullName, symbol.IsSealed);

        // A class holds one network. The first [Network] of the class (over all its partial declarations) binds;
        // every further one is NG3006, reported by the declaration it sits on, and the class gets no code.
        var all = symbol.GetAttributes().Where(a => a.AttributeClass?.ToDisplayString() == NetworkGenerator.NetworkAttributeName).ToList();
        AttributeData first = all[0];
        var diagnostics = new List<DiagnosticInfo>();
        bool primary = false;
        foreach (AttributeData candidate in context.Attributes)
        {
            if (SameApplication(candidate, first)) primary = true;
            else diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.SeveralNetworks, LocationInfo.From(ArgumentLocation(candidate, syntax, ct)), symbol.Name));
        }
        if (!primary) return new ClassTarget(cls, null, null, new EquatableArray<DiagnosticInfo>(diagnostics), CanGenerate: false);

        Location nameLocation = ArgumentLocation(first, syntax, ct);
        string? name = first.ConstructorArguments.Length == 1 ? first.ConstructorArguments[0].Value as string : null;

        LocationInfo? classLocation = LocationInfo.From(syntax.Identifier.GetLocation());
        if (!syntax.Modifiers.Any(SyntaxKind.PartialKeyword))
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.ClassNotPartial, classLocation, symbol.Name));
        if (symbol.ContainingType is not null)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClass, classLocation, symbol.Name, "it is nested in another type; declare it at namespace level"));
        if (symbol.IsGenericType)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClass, classLocation, symbol.Name, "it is generic; a network class has no type parameters"));
        if (symbol.IsStatic)
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.UnsupportedClass, classLocation, symbol.Name, "it is static; a network holds its weights in instance fields"));
        return new ClassTarget(cls, name, LocationInfo.From(nameLocation), new EquatableArray<DiagnosticInfo>(diagnostics), CanGenerate: all.Count == 1);
    }

    private static bool SameApplication(AttributeData a, AttributeData b) =>
        a.ApplicationSyntaxReference is { } x && b.ApplicationSyntaxReference is { } y && x.SyntaxTree == y.SyntaxTree && x.Span == y.Span;

    /// <summary>The attribute's first argument (the network name), else the attribute, else the class name.</summary>
    private static Location ArgumentLocation(AttributeData attribute, ClassDeclarationSyntax syntax, CancellationToken ct)
    {
        var attributeSyntax = attribute.ApplicationSyntaxReference?.GetSyntax(ct) as AttributeSyntax;
        return attributeSyntax?.ArgumentList?.Arguments.FirstOrDefault()?.GetLocation()
            ?? attributeSyntax?.GetLocation()
            ?? syntax.Identifier.GetLocation();
    }
}

/// <summary>A class bound to its network, or the reasons it could not be.</summary>
internal sealed record Binding(GenerationModel? Model, EquatableArray<DiagnosticInfo> Diagnostics)
{
    public static Binding Bind(ClassTarget target, ImmutableArray<SpecFile> files)
    {
        var diagnostics = new List<DiagnosticInfo>(target.Diagnostics);
        string? name = target.NetworkName;
        if (name is null) return new Binding(null, new EquatableArray<DiagnosticInfo>(diagnostics)); // the C# compiler reports the bad argument

        if (files.IsEmpty)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.NoSpecFile, target.NameLocation, name));
            return new Binding(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }

        var definedIn = files.Where(f => f.Networks.Any(n => n.Name == name) || f.InvalidNetworkNames.Contains(name)).Select(f => Path.GetFileName(f.Path)).ToList();
        if (definedIn.Count > 1)
        {
            diagnostics.Add(DiagnosticInfo.Create(DiagnosticDescriptors.DuplicateNetwork, target.NameLocation, name, string.Join(" and ", definedIn)));
            return new Binding(null, new EquatableArray<DiagnosticInfo>(diagnostics));
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
            return new Binding(null, new EquatableArray<DiagnosticInfo>(diagnostics));
        }
        GenerationModel? model = target.Diagnostics.Count == 0 && target.CanGenerate ? new GenerationModel(target.Class, spec) : null;
        return new Binding(model, new EquatableArray<DiagnosticInfo>(diagnostics));
    }
}
