namespace NetGen.Generator.Emit;

/// <summary>Loop headers the kernels share.</summary>
internal static class Loops
{
    /// <summary>A loop that steps <paramref name="index"/> a whole <c>Vector&lt;float&gt;</c> at a time while one fits below <paramref name="bound"/>.</summary>
    public static string Vector(string index, string bound) =>
        $"for (; {index} <= {bound} - Vector<float>.Count; {index} += Vector<float>.Count)";
}
