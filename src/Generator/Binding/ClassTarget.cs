using System.Collections.Generic;
using System.Linq;
using System.Threading;
using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.CSharp.Syntax;
using NetGen.Generator.Diagnostics;
using NetGen.Generator.Model;

namespace NetGen.Generator.Binding;

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
