using System;
using NetGen.Generator.Emit;

namespace NetGen.Generator.Layers;

/// <summary>
/// Register blocking, shared by the kernels that sum inputs times rows of weights (dense and convolution): outputs in blocks
/// of up to <see cref="BlockVectors"/> <c>Vector256</c> sums held in registers while a list of nonzero inputs streams past.
/// </summary>
internal static class BlockedSums
{
    /// <summary>Floats per <c>Vector256</c>.</summary>
    public const int Lanes = 8;

    /// <summary>Accumulators per block: 8 of the 16 vector registers, leaving room for the broadcast input and a load.</summary>
    public const int BlockVectors = 8;

    /// <summary>
    /// The inner loop both blocked kernels share: for each listed index (named <paramref name="index"/>), broadcast its
    /// input value and add it times the row of vectors at <paramref name="rowExpression"/> into the accumulators a0, a1, ...
    /// </summary>
    public static void EmitListedSums(SourceWriter w, string index, string inputExpression, string row, string rowExpression, int vectors)
    {
        w.Open("for (int k = 0; k < n; k++)");
        w.Line($"int {index} = Unsafe.Add(ref nz0, k);");
        w.Line($"var xv = Vector256.Create({inputExpression});");
        w.Line($"ref float {row} = ref {rowExpression};");
        for (int j = 0; j < vectors; j++)
            w.Line($"a{j} = Vector256.MultiplyAddEstimate(xv, Vector256.LoadUnsafe(ref {row}, {j * Lanes}), a{j});");
        w.Close();
    }

    /// <summary>
    /// How a layer's outputs split into register blocks: full blocks of <see cref="BlockVectors"/> vectors (a loop, or one
    /// block), one block of the remaining whole vectors, and a tail of single outputs; the bounds as named constants.
    /// </summary>
    public readonly struct Blocks
    {
        private readonly int _full, _rest;
        private readonly string _out;

        public Blocks(int units, string @out)
        {
            int vectors = units / Lanes;
            _full = vectors / BlockVectors;
            _rest = vectors % BlockVectors;
            HasTail = units % Lanes != 0;
            _out = @out;
        }

        /// <summary>Whether single outputs remain after the whole vectors.</summary>
        public bool HasTail { get; }

        private bool NeedsBlocked => _full > 1 || (_full == 1 && _rest > 0);

        /// <summary>The bounds the loops use: <c>block</c>, <c>blocked</c> (outputs in whole blocks), <c>vectorized</c> (in whole vectors).</summary>
        public void EmitConstants(SourceWriter w)
        {
            if (NeedsBlocked) w.Line($"const int block = {BlockVectors * Lanes}, blocked = {_out} / block * block; // outputs whose sums stay in 8 Vector256 registers");
            if (HasTail) w.Line($"const int vectorized = {_out} / {Lanes} * {Lanes}; // outputs in whole Vector256s; the rest one at a time");
        }

        /// <summary>Emits the blocks covering the whole vectors; <paramref name="body"/> gets the block's start (<c>o</c>) and its vectors.</summary>
        public void Each(SourceWriter w, Action<string, int> body)
        {
            if (_full == 1)
            {
                w.Open();
                w.Line("const int o = 0;");
                body("o", BlockVectors);
                w.Close();
            }
            else if (_full > 1)
            {
                w.Open("for (int o = 0; o < blocked; o += block)");
                body("o", BlockVectors);
                w.Close();
            }
            if (_rest > 0)
            {
                w.Open();
                w.Line(_full == 0 ? "const int o = 0;" : "const int o = blocked;");
                body("o", _rest);
                w.Close();
            }
        }
    }
}
