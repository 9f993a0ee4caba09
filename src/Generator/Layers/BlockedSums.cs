using System;
using System.Collections.Generic;
using System.Linq;
using NetGen.Generator.Emit;

namespace NetGen.Generator.Layers;

/// <summary>
/// Register blocking, shared by the kernels that sum inputs times rows of weights (dense and convolution): outputs in blocks
/// of up to <see cref="BlockOutputs"/> sums held in registers while a list of nonzero inputs streams past. A block is the
/// same outputs at both widths: eight <c>Vector256</c> sums, or four <c>Vector512</c> ones (an odd eight outputs at the end
/// as one <c>Vector256</c>). Each output is summed in its own lane in the same order either way, so both widths give the
/// same bits and a network trains the same weights on AVX2 and AVX-512 machines.
/// </summary>
internal static class BlockedSums
{
    /// <summary>Floats per <c>Vector256</c>: the step the blocks and the scalar tail are counted in.</summary>
    public const int Lanes = 8;

    /// <summary>Vector256 accumulators per block: 8 of the 16 AVX2 registers, leaving room for the broadcast input and a load.</summary>
    public const int BlockVectors = 8;

    /// <summary>Outputs per block.</summary>
    public const int BlockOutputs = BlockVectors * Lanes;

    /// <summary>
    /// The inner loop both blocked kernels share: for each listed index (named <paramref name="index"/>), broadcast its
    /// input value and add it times the row of vectors at <paramref name="rowExpression"/> into the accumulators a0, a1, ...
    /// </summary>
    public static void EmitListedSums(SourceWriter w, string index, string inputExpression, string row, string rowExpression, Block block)
    {
        w.Open("for (int k = 0; k < n; k++)");
        w.Line($"int {index} = Unsafe.Add(ref nz0, k);");
        w.Line($"var xv = {block.Widest}.Create({inputExpression});");
        w.Line($"ref float {row} = ref {rowExpression};");
        foreach (Vec v in block.Vectors)
            w.Line($"a{v.Index} = {v.Type}.MultiplyAddEstimate({block.Broadcast("xv", v)}, {v.Load(row)}, a{v.Index});");
        w.Close();
    }

    /// <summary>One accumulator of a block: its type (<c>Vector256</c> or <c>Vector512</c>), its number and its first output in the block.</summary>
    public readonly record struct Vec(string Type, int Index, int Offset)
    {
        /// <summary>Loads this vector's floats from <paramref name="row"/> (a ref to the block's first output).</summary>
        public string Load(string row) => Offset == 0 ? $"{Type}.LoadUnsafe(ref {row})" : $"{Type}.LoadUnsafe(ref {row}, {Offset})";

        /// <summary>Stores <paramref name="value"/> to this vector's floats of <paramref name="row"/>.</summary>
        public string Store(string value, string row) => Offset == 0 ? $"{Type}.StoreUnsafe({value}, ref {row});" : $"{Type}.StoreUnsafe({value}, ref {row}, {Offset});";

        /// <summary>Loads this vector's floats at output <paramref name="start"/> + its offset of the row at <paramref name="origin"/>.</summary>
        public string LoadAt(string origin, string start) => $"{Type}.LoadUnsafe(ref {origin}, (nuint)({start} + {Offset}))";

        /// <summary>Stores <paramref name="value"/> at output <paramref name="start"/> + its offset of the row at <paramref name="origin"/>.</summary>
        public string StoreAt(string value, string origin, string start) => $"{Type}.StoreUnsafe({value}, ref {origin}, (nuint)({start} + {Offset}));";

        public string Zero => $"{Type}<float>.Zero";
    }

    /// <summary>A block of outputs starting at <see cref="Start"/> (an expression) and the vectors that hold its sums.</summary>
    public sealed class Block
    {
        public Block(string start, IReadOnlyList<Vec> vectors)
        {
            Start = start;
            Vectors = vectors;
            Widest = vectors.Any(v => v.Type == "Vector512") ? "Vector512" : "Vector256";
            Outputs = vectors.Sum(v => v.Type == "Vector512" ? 2 * Lanes : Lanes);
        }

        public string Start { get; }

        public IReadOnlyList<Vec> Vectors { get; }

        /// <summary>The widest vector type in the block: the type inputs are broadcast to.</summary>
        public string Widest { get; }

        /// <summary>How many outputs the block sums (the same at both widths).</summary>
        public int Outputs { get; }

        /// <summary><paramref name="broadcast"/> (a value broadcast to <see cref="Widest"/>) as vector <paramref name="v"/>'s type: its lower half for a Vector256 in a Vector512 block.</summary>
        public string Broadcast(string broadcast, Vec v) => v.Type == Widest ? broadcast : $"{broadcast}.GetLower()";
    }

    /// <summary>
    /// How a layer's outputs split into register blocks: full blocks of <see cref="BlockOutputs"/> outputs (a loop, or one
    /// block), one block of the remaining whole Vector256s, and a tail of single outputs; the bounds as named constants.
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
            HasWide = vectors >= 2;
            _out = @out;
        }

        /// <summary>Whether single outputs remain after the whole vectors.</summary>
        public bool HasTail { get; }

        /// <summary>Whether some block holds a Vector512 (16 outputs or more); below that both widths are the same code.</summary>
        public bool HasWide { get; }

        private bool NeedsBlocked => _full > 1 || (_full == 1 && _rest > 0);

        /// <summary>The bounds the loops use: <c>block</c>, <c>blocked</c> (outputs in whole blocks), <c>vectorized</c> (in whole vectors).</summary>
        public void EmitConstants(SourceWriter w)
        {
            if (NeedsBlocked) w.Line($"const int block = {BlockOutputs}, blocked = {_out} / block * block; // outputs whose sums stay in 8 Vector256 (4 Vector512) registers");
            if (HasTail) w.Line($"const int vectorized = {_out} / {Lanes} * {Lanes}; // outputs in whole Vector256s; the rest one at a time");
        }

        /// <summary>
        /// Emits the blocks covering the whole vectors, with Vector512 accumulators where <paramref name="wide"/>; <paramref name="body"/>
        /// gets each block (its start is <c>o</c>).
        /// </summary>
        public void Each(SourceWriter w, bool wide, Action<Block> body)
        {
            if (_full == 1)
            {
                w.Open();
                w.Line("const int o = 0;");
                body(new Block("o", Vectors(BlockVectors, wide)));
                w.Close();
            }
            else if (_full > 1)
            {
                w.Open("for (int o = 0; o < blocked; o += block)");
                body(new Block("o", Vectors(BlockVectors, wide)));
                w.Close();
            }
            if (_rest > 0)
            {
                w.Open();
                w.Line(_full == 0 ? "const int o = 0;" : "const int o = blocked;");
                body(new Block("o", Vectors(_rest, wide)));
                w.Close();
            }
        }

        /// <summary>
        /// Emits the blocks twice when some hold a Vector512, <c>if (Widths.Vector512)</c> with Vector512 accumulators and
        /// <c>else</c> with Vector256 ones, and once otherwise.
        /// </summary>
        public void EachWidth(SourceWriter w, Action<Block> body)
        {
            if (!HasWide)
            {
                Each(w, wide: false, body);
                return;
            }
            w.Open("if (Widths.Vector512) // the same sums, twice as many outputs per instruction");
            Each(w, wide: true, body);
            w.Close();
            w.Open("else");
            Each(w, wide: false, body);
            w.Close();
        }

        private static Vec[] Vectors(int narrow, bool wide)
        {
            var vectors = new List<Vec>();
            int offset = 0;
            while (offset < narrow * Lanes)
            {
                bool pair = wide && offset + 2 * Lanes <= narrow * Lanes;
                vectors.Add(new Vec(pair ? "Vector512" : "Vector256", vectors.Count, offset));
                offset += pair ? 2 * Lanes : Lanes;
            }
            return vectors.ToArray();
        }
    }
}
