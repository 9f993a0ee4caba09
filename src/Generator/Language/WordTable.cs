using System;
using System.Collections.Generic;

namespace NetGen.Generator.Language;

/// <summary>
/// The words of nets.json for one kind of choice, each paired explicitly with the value it stands for, in the order
/// the documentation, the schema and the diagnostics list them.
/// </summary>
internal sealed class WordTable<T>
    where T : struct, Enum
{
    private readonly (string Word, T Value)[] _pairs;

    public WordTable(params (string Word, T Value)[] pairs)
    {
        _pairs = pairs;
        var words = new string[pairs.Length];
        for (int i = 0; i < pairs.Length; i++) words[i] = pairs[i].Word;
        Words = words;
    }

    /// <summary>Every word, in the documented order.</summary>
    public IReadOnlyList<string> Words { get; }

    /// <summary>The word that stands for <paramref name="value"/>.</summary>
    public string Of(T value)
    {
        foreach (var (word, candidate) in _pairs)
        {
            if (EqualityComparer<T>.Default.Equals(candidate, value)) return word;
        }
        throw new ArgumentOutOfRangeException(nameof(value), value, "no word for this value");
    }

    /// <summary>The value <paramref name="word"/> stands for, or null for a word of no value.</summary>
    public T? Find(string word)
    {
        foreach (var (candidate, value) in _pairs)
        {
            if (candidate == word) return value;
        }
        return null;
    }
}
