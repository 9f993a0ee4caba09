namespace NetGen.Generator.Emit;

/// <summary>Loop headers the kernels share.</summary>
internal static class Loops
{
    /// <summary>A loop that steps <paramref name="index"/> a whole <c>Vector&lt;float&gt;</c> at a time while one fits below <paramref name="bound"/>.</summary>
    public static string Vector(string index, string bound) =>
        $"for (; {index} <= {bound} - Vector<float>.Count; {index} += Vector<float>.Count)";

    /// <summary>
    /// The portable multiply-add of a row: <c>target[i] += scalar * source[i]</c> for i below <paramref name="count"/>, a whole
    /// <c>Vector&lt;float&gt;</c> at a time (with <paramref name="vector"/>, the scalar already broadcast), then value by value.
    /// <paramref name="source"/> and <paramref name="target"/> are <c>ref float</c> locals.
    /// </summary>
    public static void EmitMultiplyAdd(SourceWriter w, string vector, string scalar, string source, string target, string count, string index = "o", string? comment = null)
    {
        w.Line($"int {index} = 0;");
        w.Open(Vector(index, count));
        w.Line($"Vector.StoreUnsafe(Vector.MultiplyAddEstimate({vector}, Vector.LoadUnsafe(ref {source}, (nuint){index}), Vector.LoadUnsafe(ref {target}, (nuint){index})), ref {target}, (nuint){index});"
            + (comment is null ? "" : " // " + comment));
        w.Close();
        w.Line($"for (; {index} < {count}; {index}++) Unsafe.Add(ref {target}, {index}) += {scalar} * Unsafe.Add(ref {source}, {index});");
    }
}
