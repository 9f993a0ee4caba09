using NetGen.Generator.Emit;
using NetGen.Generator.Language;

namespace NetGen.Generator.Layers;

/// <summary>
/// How a weight and its bias start, for the layer kinds with weights (dense, conv2d): PyTorch's default of the module, or a
/// named initializer of <c>torch.nn.init</c>, drawn from the network's initialization stream in PyTorch's element order.
/// </summary>
internal static class ParameterInitialization
{
    /// <param name="fanIn">The weight's fan-in as C#, e.g. <c>Fc1In</c>.</param>
    /// <param name="fanOut">The weight's fan-out as C#.</param>
    /// <param name="uniform">The call that fills the weight from U(-a, a), with <c>{0}</c> for a.</param>
    /// <param name="normal">The call that fills the weight from N(0, std^2), with <c>{0}</c> for std.</param>
    /// <param name="module">PyTorch's module whose default this is, e.g. <c>nn.Linear</c>.</param>
    public static void Emit(SourceWriter w, string name, Initializer init, string weight, string? bias, string fanIn, string fanOut,
        string uniform, string normal, string module)
    {
        string bound = Identifiers.Camel(name) + "Bound";
        switch (init)
        {
            case Initializer.Default:
                w.Line($"// {name}: default (PyTorch {module}): weight{(bias is not null ? " and bias" : "")} from U(-1/sqrt(fan_in), +1/sqrt(fan_in))");
                w.Line($"float {bound} = 1f / MathF.Sqrt({fanIn});");
                w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, uniform, bound) + ";");
                if (bias is not null) w.Line($"Initializers.Uniform(random, {bias}, {bound});");
                break;
            case Initializer.XavierUniform:
                w.Line($"// {name}: xavier_uniform: weight from U(-a, a), a = sqrt(6 / (fan_in + fan_out)); bias 0");
                w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, uniform, $"MathF.Sqrt(6f / ({fanIn} + {fanOut}))") + ";");
                break;
            case Initializer.KaimingUniform:
                w.Line($"// {name}: kaiming_uniform (ReLU gain sqrt(2), fan_in): weight from U(-a, a), a = sqrt(6 / fan_in); bias 0");
                w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, uniform, $"MathF.Sqrt(6f / {Parenthesized(fanIn)})") + ";");
                break;
            case Initializer.KaimingNormal:
                w.Line($"// {name}: kaiming_normal (ReLU gain sqrt(2), fan_in): weight from N(0, std^2), std = sqrt(2 / fan_in); bias 0");
                w.Line(string.Format(System.Globalization.CultureInfo.InvariantCulture, normal, $"MathF.Sqrt(2f / {Parenthesized(fanIn)})") + ";");
                break;
            case Initializer.Zeros:
                w.Line($"// {name}: zeros: weight{(bias is not null ? " and bias" : "")} start at 0 (the arrays are new)");
                break;
        }
    }

    private static string Parenthesized(string expression) => expression.Contains(" ") ? $"({expression})" : expression;
}
