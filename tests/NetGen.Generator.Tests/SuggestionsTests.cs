using NetGen.Generator.Language;
using NetGen.Generator.Spec;
using Xunit;

namespace NetGen.Generator.Tests;

/// <summary>The "did you mean" distance: optimal string alignment (a swap of two adjacent letters is one edit).</summary>
public class SuggestionsTests
{
    [Theory]
    [InlineData("", "", 0)]
    [InlineData("", "relu", 4)]
    [InlineData("relu", "", 4)]
    [InlineData("relu", "relu", 0)]
    [InlineData("rellu", "relu", 1)]      // a deletion
    [InlineData("rel", "relu", 1)]        // an insertion
    [InlineData("rela", "relu", 1)]       // a substitution
    [InlineData("kitten", "sitting", 3)]  // two substitutions and an insertion
    [InlineData("rleu", "relu", 1)]       // swaps of two adjacent letters: one edit each
    [InlineData("tnah", "tanh", 1)]
    [InlineData("adma", "adam", 1)]
    [InlineData("ab", "ba", 1)]
    [InlineData("abcd", "badc", 2)]       // two swaps
    [InlineData("ca", "abc", 3)]          // restricted: a swapped pair is not edited again (unrestricted Damerau-Levenshtein gives 2)
    public void Edit_distance_counts_insertions_deletions_substitutions_and_adjacent_swaps(string a, string b, int expected)
    {
        Assert.Equal(expected, Suggestions.EditDistance(a, b));
        Assert.Equal(expected, Suggestions.EditDistance(b, a));
    }

    [Theory]
    [InlineData("rleu", "relu")]
    [InlineData("tnah", "tanh")]
    [InlineData("sigmiod", "sigmoid")]
    [InlineData("RELU", "relu")]
    [InlineData("leaky-relu", "leaky_relu")]
    public void A_near_miss_activation_gets_a_suggestion(string word, string suggestion)
    {
        Assert.Equal(suggestion, Suggestions.Closest(word, SpecWords.Activations.Words));
    }

    [Theory]
    [InlineData("rl")]       // two edits from relu, but a short word allows one
    [InlineData("elru")]     // two edits from relu (two swaps), too many for a short word
    [InlineData("softmax")]  // far from every activation
    public void A_word_too_far_from_every_activation_gets_none(string word)
    {
        Assert.Null(Suggestions.Closest(word, SpecWords.Activations.Words));
    }

    [Fact]
    public void A_swapped_optimizer_name_gets_a_suggestion()
    {
        Assert.Equal("adam", Suggestions.Closest("adma", SpecWords.Optimizers.Words));
    }
}
