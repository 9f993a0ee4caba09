using Microsoft.CodeAnalysis;

namespace NetGen.Generator.Diagnostics;

/// <summary>
/// Every diagnostic NetGen reports. Bands: NG1xxx JSON syntax, NG2xxx spec semantics,
/// NG3xxx binding the spec to C# classes. The table in docs/diagnostics.md lists them all, and each has a
/// section there, which its help link opens.
/// </summary>
internal static class DiagnosticDescriptors
{
    /// <summary>
    /// The repository's URL, as RepositoryUrl in Directory.Build.props. A placeholder until the repository is public
    /// (then both change together; a test checks they agree).
    /// </summary>
    private const string RepositoryUrl = "https://github.com/netgen-dotnet/netgen";

    /// <summary>docs/diagnostics.md on the main branch; each id's section is at <c>#ng1001</c> (the id in lower case, GitHub's anchor of the heading "NG1001").</summary>
    private const string HelpPage = RepositoryUrl + "/blob/main/docs/diagnostics.md";

    private const string SpecCategory = "NetGen.Spec";
    private const string BindingCategory = "NetGen.Binding";

    public static readonly DiagnosticDescriptor MalformedJson = Error(
        "NG1001", "nets.json is not valid JSON", "nets.json is not valid JSON: {0}", SpecCategory);

    public static readonly DiagnosticDescriptor MissingProperty = Error(
        "NG2001", "Required property missing", "{0} needs the property \"{1}\"{2}", SpecCategory);

    public static readonly DiagnosticDescriptor UnknownProperty = Error(
        "NG2002", "Unknown property", "Unknown property \"{0}\" in {1}{2}", SpecCategory);

    public static readonly DiagnosticDescriptor WrongType = Error(
        "NG2003", "Value has the wrong type", "\"{0}\" must be {1}", SpecCategory);

    public static readonly DiagnosticDescriptor OutOfRange = Error(
        "NG2004", "Value out of range", "\"{0}\" is {1}, but it must be {2}", SpecCategory);

    public static readonly DiagnosticDescriptor UnknownValue = Error(
        "NG2005", "Unknown value", "Unknown {0} \"{1}\"; valid values: {2}", SpecCategory);

    public static readonly DiagnosticDescriptor InvalidShape = Error(
        "NG2006", "Shorthand shape does not parse", "\"shape\" must be sizes joined by '-', such as \"784-128-64-10\" (at least an input and an output size): {0}", SpecCategory);

    public static readonly DiagnosticDescriptor ConflictingProperties = Error(
        "NG2007", "Conflicting properties", "{0}", SpecCategory);

    public static readonly DiagnosticDescriptor InvalidLayerName = Error(
        "NG2008", "Invalid layer name", "{0}", SpecCategory);

    public static readonly DiagnosticDescriptor NetworkTooLarge = Error(
        "NG2009", "Network too large", "Network \"{0}\" has {1} parameters; NetGen supports at most {2}", SpecCategory);

    public static readonly DiagnosticDescriptor OutputSizeMismatch = Error(
        "NG2010", "Output layer does not fit the loss", "The output layer has {0}, but \"{1}\" needs {2}", SpecCategory);

    public static readonly DiagnosticDescriptor MisplacedDropout = Error(
        "NG2011", "Dropout layer in the wrong place", "{0}", SpecCategory);

    public static readonly DiagnosticDescriptor NoDenseLayer = Error(
        "NG2012", "Network without a dense layer", "Network \"{0}\" has no dense layer: {1}", SpecCategory);

    public static readonly DiagnosticDescriptor LayerDoesNotFit = Error(
        "NG2013", "Layer does not fit its input", "{0} does not fit its input of {1}: {2}", SpecCategory);

    public static readonly DiagnosticDescriptor MisplacedBatchNorm = Error(
        "NG2014", "Batch norm layer in the wrong place", "{0}", SpecCategory);

    public static readonly DiagnosticDescriptor NetworkNotFound = Error(
        "NG3001", "Network not found", "No network named \"{0}\" in nets.json; networks defined: {1}", BindingCategory);

    public static readonly DiagnosticDescriptor NoSpecFile = Error(
        "NG3002", "No nets.json", "[Network(\"{0}\")] needs a nets.json; put a nets.json (or NAME.nets.json) beside the project file, or list a spec file elsewhere with <AdditionalFiles Include=\"path/nets.json\" />", BindingCategory);

    public static readonly DiagnosticDescriptor ClassNotPartial = Error(
        "NG3003", "Network class must be partial", "Class '{0}' has [Network] and must be declared 'partial' so NetGen can add the generated members", BindingCategory);

    public static readonly DiagnosticDescriptor UnsupportedClass = Error(
        "NG3004", "Network class shape not supported", "Class '{0}' cannot hold a generated network: {1}", BindingCategory);

    public static readonly DiagnosticDescriptor DuplicateNetwork = Error(
        "NG3005", "Duplicate network name", "Network \"{0}\" is defined in more than one spec file ({1}); rename or remove one of them", BindingCategory);

    public static readonly DiagnosticDescriptor SeveralNetworks = Error(
        "NG3006", "More than one [Network] on a class", "Class '{0}' has more than one [Network] attribute; a class holds one network, so declare another partial class for each further network", BindingCategory);

    /// <summary>An error descriptor whose help link (the id's link in the IDE's error list) is its section of docs/diagnostics.md.</summary>
    private static DiagnosticDescriptor Error(string id, string title, string message, string category)
        => new(id, title, message, category, DiagnosticSeverity.Error, isEnabledByDefault: true, helpLinkUri: HelpLink(id));

    /// <summary>The URL of <paramref name="id"/>'s section of docs/diagnostics.md.</summary>
    private static string HelpLink(string id) => HelpPage + "#" + id.ToLowerInvariant();
}
