using System.IO;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Networks;

/// <summary>
/// What the shared tests do not cover of activation layers: one right after a dense layer without an activation is that
/// layer's activation, so "tinyfolded" (tiny written with activation layers) is the same network as "tiny".
/// </summary>
public class ActivationLayerTests
{
    [Fact]
    public void A_folded_activation_layer_gives_the_same_architecture_and_spec_hash()
    {
        Assert.Equal(TinyNet.Architecture, TinyFoldedNet.Architecture);
        Assert.Equal(TinyNet.SpecHash, TinyFoldedNet.SpecHash);
        Assert.Equal(TinyNet.ParameterCount, TinyFoldedNet.ParameterCount);
    }

    [Fact]
    public void A_folded_activation_layer_trains_bit_for_bit_as_the_activation_property()
    {
        var tiny = new TinyNet(seed: 9);
        var folded = new TinyFoldedNet(seed: 9);
        for (int step = 0; step < 3; step++)
        {
            float[] inputs = RandomInputs(80 + step, tiny.MaxBatchSize, TinyNet.InputSize);
            int[] labels = RandomLabels(90 + step, tiny.MaxBatchSize, tiny);
            Assert.Equal(tiny.TrainStep(inputs, labels), folded.TrainStep(inputs, labels));
        }
        for (int t = 0; t < tiny.Parameters.Count; t++)
        {
            Assert.Equal(tiny.Parameters[t].Name, folded.Parameters[t].Name);
            Assert.Equal(tiny.Parameters[t].Values, folded.Parameters[t].Values);
            Assert.Equal(tiny.Parameters[t].Gradients, folded.Parameters[t].Gradients);
        }
        for (int t = 0; t < tiny.OptimizerState.Count; t++) Assert.Equal(tiny.OptimizerState[t].Values, folded.OptimizerState[t].Values);
    }

    [Fact]
    public void A_model_file_of_one_form_loads_into_the_other()
    {
        var tiny = new TinyNet(seed: 9);
        tiny.TrainStep(RandomInputs(80, tiny.MaxBatchSize, TinyNet.InputSize), RandomLabels(90, tiny.MaxBatchSize, tiny));
        var stream = new MemoryStream();
        ModelFile.Save(stream, tiny);
        stream.Position = 0;
        var folded = new TinyFoldedNet(seed: 1);
        ModelFile.Load(stream, folded);
        float[] inputs = RandomInputs(95, 7, TinyNet.InputSize);
        Assert.Equal(Forward(tiny, inputs), Forward(folded, inputs));
        Assert.Equal(tiny.Step, folded.Step);
    }
}
