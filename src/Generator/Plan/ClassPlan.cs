namespace NetGen.Generator.Plan;

/// <summary>
/// The user's partial class (the public face the generator completes) and the core class that holds the network's
/// state and code, in the generated namespace <see cref="CoreNamespace"/>, where it can import what it uses.
/// </summary>
/// <param name="Namespace">The user class's namespace, or empty for the global namespace.</param>
/// <param name="CoreName">The core class's name: unique per user class (its full name with '.' as '_' and '_' doubled), ending in "Core".</param>
internal sealed record ClassPlan(string Namespace, string ClassName, string FullName, bool IsSealed, string HintName, string CoreName)
{
    public const string CoreNamespace = "NetGen.Generated";
}
