using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using Xunit;
using static NetGen.Tests.Networks.NetworkTestKit;

namespace NetGen.Tests.Images;

/// <summary>
/// Batch norm beyond what ConvTests checks of every image network (training-mode outputs and every gradient element against
/// the reference and central differences, 1-4 threads): the running statistics a step leaves, evaluation with them, a
/// flat batch norm's need for two rows, model files, and cnn_bn against PyTorch's own fixtures.
/// </summary>
public sealed class BatchNormTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>
    /// After one training call each running mean is 0.9 x 0 + 0.1 x the batch mean and each running variance 0.9 x 1 + 0.1 x the
    /// unbiased batch variance (n / (n - 1) of the biased one that normalizes), n = rows x pixels, as PyTorch updates them.
    /// </summary>
    [Theory]
    [InlineData("bnconv")]
    [InlineData("bnflat")]
    [InlineData("bnchannelsfirst")]
    public void A_step_moves_the_running_statistics_as_PyTorch(string name)
    {
        INetwork net = ConvTests.Create(name, seed: 5);
        int rows = net.MaxBatchSize;
        float[] inputs = RandomInputs(501, rows, net.InputSize);
        int[] labels = RandomLabels(502, rows, net);
        ImageReference reference = ConvTests.Reference(name, net);
        reference.Forward(inputs, rows, MasksOf(name, net, rows), training: true);
        net.ComputeGradients(inputs, labels);
        Assert.NotEmpty(reference.Statistics);
        foreach (var (layer, (mean, variance)) in reference.Statistics)
        {
            float[] runningMean = Buffer(net, layer + ".running_mean"), runningVar = Buffer(net, layer + ".running_var");
            int n = rows * ValuesPerChannel(name, layer);
            for (int c = 0; c < mean.Length; c++)
            {
                AssertClose(0.1 * mean[c], runningMean[c], 1e-6, $"{layer}.running_mean[{c}]");
                AssertClose(0.9 + 0.1 * variance[c] * n / (n - 1), runningVar[c], 1e-6, $"{layer}.running_var[{c}]");
            }
        }
    }

    /// <summary>Forward (evaluation, as model.eval()) normalizes with the running statistics, here moved by three steps.</summary>
    [Theory]
    [InlineData("bnconv")]
    [InlineData("bnflat")]
    [InlineData("bnchannelsfirst")]
    public void Forward_uses_the_running_statistics(string name)
    {
        INetwork net = ConvTests.Create(name, seed: 6);
        for (int step = 0; step < 3; step++)
        {
            int rows = net.MaxBatchSize;
            net.TrainStep(RandomInputs(600 + step, rows, net.InputSize), RandomLabels(610 + step, rows, net));
        }
        Assert.Contains(net.Buffers, b => b.Name.EndsWith(".running_var", StringComparison.Ordinal) && b.Values.Any(v => Math.Abs(v - 1) > 1e-3));
        ImageReference reference = ConvTests.Reference(name, net); // reads the stepped weights and running statistics
        const int count = 9;
        float[] inputs = RandomInputs(620, count, net.InputSize);
        double[][] expected = reference.Forward(inputs, count);
        var logits = new float[count * net.OutputSize];
        net.Forward(inputs, logits);
        for (int r = 0; r < count; r++)
            for (int o = 0; o < net.OutputSize; o++)
                AssertClose(expected[r][o], logits[r * net.OutputSize + o], 1e-5, $"{name} logits[{r}, {o}]");
        // One row alone gives the same outputs: evaluation does not look at the rest of the batch.
        var one = new float[net.OutputSize];
        net.Forward(inputs.AsSpan(0, net.InputSize), one);
        Assert.Equal(logits.Take(net.OutputSize), one);
    }

    /// <summary>
    /// A batch norm with one value per channel in a row (flat, or a 1 x 1 image: bnconv's "norm") cannot normalize one row
    /// (PyTorch: "Expected more than 1 value per channel when training"); one over several pixels can.
    /// </summary>
    [Fact]
    public void A_flat_batch_norm_refuses_a_batch_of_one_row_in_training()
    {
        INetwork flat = new BnFlatNet(seed: 1);
        var error = Assert.Throws<ArgumentException>(() => flat.ComputeGradients(RandomInputs(1, 1, flat.InputSize), new[] { 0 }));
        Assert.Contains("bn1", error.Message);
        Assert.Contains("at least 2 rows", error.Message);
        INetwork image = new BnChannelsFirstNet(seed: 1); // 2 x 2 pixels per channel
        float loss = image.ComputeGradients(RandomInputs(2, 1, image.InputSize), new[] { 1 });
        Assert.True(float.IsFinite(loss));
    }

    /// <summary>
    /// A saved model keeps the running statistics (and PyTorch's num_batches_tracked = the step count): loaded into a new
    /// network it evaluates the same, and training on from it continues bit for bit.
    /// </summary>
    [Fact]
    public void Model_files_keep_the_running_statistics()
    {
        INetwork net = new BnConvNet(seed: 7);
        int rows = net.MaxBatchSize;
        for (int step = 0; step < 2; step++) net.TrainStep(RandomInputs(700 + step, rows, net.InputSize), RandomLabels(710 + step, rows, net));
        string path = Path.Combine(_folder.Path, "bnconv.safetensors");
        ModelFile.Save(path, net);

        var saved = new FixtureFile(path);
        Assert.Equal(new[] { 2L }, saved.Longs("bn1.num_batches_tracked"));
        Assert.Equal(Array.Empty<long>(), saved.Shape("norm.num_batches_tracked"));
        Assert.Equal(net.Buffers.Single(b => b.Name == "norm.running_var").Values, saved.Floats("norm.running_var"));

        INetwork loaded = new BnConvNet(seed: 99);
        ModelFile.Load(path, loaded);
        float[] inputs = RandomInputs(720, 5, net.InputSize);
        float[] a = new float[5 * net.OutputSize], b = new float[a.Length];
        net.Forward(inputs, a);
        loaded.Forward(inputs, b);
        Assert.Equal(a, b);
        float[] nextInputs = RandomInputs(730, rows, net.InputSize);
        int[] nextLabels = RandomLabels(731, rows, net);
        Assert.Equal(net.TrainStep(nextInputs, nextLabels), loaded.TrainStep(nextInputs, nextLabels));
        for (int t = 0; t < net.Buffers.Count; t++) Assert.Equal(net.Buffers[t].Values, loaded.Buffers[t].Values);
        for (int t = 0; t < net.Parameters.Count; t++) Assert.Equal(net.Parameters[t].Values, loaded.Parameters[t].Values);
    }

    /// <summary>Training steps and evaluation allocate nothing (one thread: this thread's counter is exact).</summary>
    [Fact]
    public void Steps_and_evaluation_allocate_nothing()
    {
        INetwork net = new BnConvNet(seed: 8);
        int rows = net.MaxBatchSize;
        float[] inputs = RandomInputs(800, rows, net.InputSize);
        int[] labels = RandomLabels(801, rows, net);
        var logits = new float[rows * net.OutputSize];
        void Run()
        {
            net.TrainStep(inputs, labels);
            net.Forward(inputs, logits);
            net.Predict(inputs.AsSpan(0, net.InputSize));
        }
        Run();
        long before = GC.GetAllocatedBytesForCurrentThread();
        for (int i = 0; i < 5; i++) Run();
        Assert.Equal(0, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    // cnn_bn against PyTorch (Fixtures/pytorch/README.md): conv (no bias), batch norm, ReLU, avg-pool, conv stride 2, batch
    // norm, ReLU, max-pool, dense, batch norm (1d), ReLU, dense.

    private static CnnBnNet LoadCnnBn(string file)
    {
        var net = new CnnBnNet();
        if (file.EndsWith(".initial.safetensors", StringComparison.Ordinal))
        {
            ModelFile.Load(FixtureFile.PathOf(file), net);
            return net;
        }
        // The step file holds the batch and the gradients beside the state_dict: take the state by hand.
        var fixture = new FixtureFile(FixtureFile.PathOf(file));
        foreach (NamedTensor tensor in net.Parameters.Concat(net.Buffers)) tensor.Layout.FromRowMajor(fixture.Floats(tensor.Name), tensor.Values);
        return net;
    }

    [Fact]
    public void CnnBn_PyTorchs_initial_state_gives_PyTorchs_evaluation_logits()
    {
        CnnBnNet net = LoadCnnBn("cnn_bn.initial.safetensors");
        var fixture = new FixtureFile(FixtureFile.PathOf("cnn_bn.logits.safetensors"));
        AssertLogits(net, fixture.Floats("inputs"), fixture.Floats("logits"), 1e-4);
    }

    /// <summary>After PyTorch's step the running statistics are not 0 and 1 nor the weights 1 and 0: eval mode uses them all.</summary>
    [Fact]
    public void CnnBn_PyTorchs_state_after_a_step_gives_PyTorchs_evaluation_logits()
    {
        CnnBnNet net = LoadCnnBn("cnn_bn.step.safetensors");
        var fixture = new FixtureFile(FixtureFile.PathOf("cnn_bn.step.safetensors"));
        AssertLogits(net, fixture.Floats("inputs"), fixture.Floats("eval_logits"), 1e-4);
    }

    /// <summary>
    /// One training step from PyTorch's initial state: its loss, gradients (batch statistics over the whole batch, whatever the
    /// thread count), Adam's step and the running statistics. The biases just before a batch norm have a gradient of exactly 0
    /// in exact arithmetic: PyTorch's and ours are rounding noise, checked against 0, and Adam's first step turns noise into
    /// steps of up to lr, so their values are checked to within lr.
    /// </summary>
    [Theory]
    [InlineData(1)]
    [InlineData(3)]
    public void CnnBn_one_step_gives_PyTorchs_loss_gradients_weights_and_running_statistics(int threads)
    {
        var net = new CnnBnNet(threads: threads);
        ModelFile.Load(FixtureFile.PathOf("cnn_bn.initial.safetensors"), net);
        var step = new FixtureFile(FixtureFile.PathOf("cnn_bn.step.safetensors"));
        float[] inputs = step.Floats("inputs");
        int[] labels = step.Longs("labels").Select(l => (int)l).ToArray();
        float loss = net.ComputeGradients(inputs, labels);
        Assert.True(Math.Abs(loss - step.Floats("loss")[0]) <= 1e-5, $"loss: NetGen {loss:R}, PyTorch {step.Floats("loss")[0]:R}");
        string[] beforeBatchNorm = { "conv2.bias", "fc1.bias" };
        foreach (NamedTensor tensor in net.Parameters)
        {
            float[] expected = step.Floats("grad." + tensor.Name);
            var actual = new float[expected.Length];
            tensor.Layout.ToRowMajor(tensor.Gradients!, actual);
            if (beforeBatchNorm.Contains(tensor.Name))
            {
                Assert.All(actual, g => Assert.True(Math.Abs(g) < 1e-5, $"grad {tensor.Name}: {g:R}, expected 0"));
                continue;
            }
            float scale = expected.Max(Math.Abs);
            for (int i = 0; i < expected.Length; i++)
                Assert.True(Math.Abs(actual[i] - expected[i]) <= 1e-4 * scale, $"grad {tensor.Name} {i}: NetGen {actual[i]:R}, PyTorch {expected[i]:R}");
        }
        net.OptimizerStep();
        foreach (NamedTensor tensor in net.Buffers) AssertTensor(tensor, tensor.Values, step, 1e-5);
        // Where PyTorch's gradient is rounding noise (an input that batch norm cancels), Adam's first step of about lr x sign(g)
        // is noise too: there the weight only has to stay within lr of where it was.
        var initial = new FixtureFile(FixtureFile.PathOf("cnn_bn.initial.safetensors"));
        foreach (NamedTensor tensor in net.Parameters)
        {
            float[] expected = step.Floats(tensor.Name), gradient = step.Floats("grad." + tensor.Name), before = initial.Floats(tensor.Name);
            var actual = new float[expected.Length];
            tensor.Layout.ToRowMajor(tensor.Values, actual);
            for (int i = 0; i < expected.Length; i++)
            {
                bool noise = Math.Abs(gradient[i]) < 1e-6;
                Assert.True(noise ? Math.Abs(actual[i] - before[i]) <= 1.0001e-3 : Math.Abs(actual[i] - expected[i]) <= 1e-5,
                    $"{tensor.Name} {i} after the step: NetGen {actual[i]:R}, PyTorch {expected[i]:R} (gradient {gradient[i]:R})");
            }
        }
        Assert.Equal(1, net.Step);
        Assert.Equal(step.Longs("bn1.num_batches_tracked"), new[] { net.Step });
    }

    /// <summary>
    /// Adam's step on PyTorch's own gradients from PyTorch's initial weights gives PyTorch's weights, the biases before a batch
    /// norm included (their noise is PyTorch's here): the optimizer checked apart from the gradients' float noise, which Adam's
    /// first step (about lr x sign(g)) would magnify wherever a gradient is tiny.
    /// </summary>
    [Fact]
    public void CnnBn_Adam_on_PyTorchs_gradients_gives_PyTorchs_weights()
    {
        CnnBnNet net = LoadCnnBn("cnn_bn.initial.safetensors");
        var step = new FixtureFile(FixtureFile.PathOf("cnn_bn.step.safetensors"));
        foreach (NamedTensor tensor in net.Parameters) tensor.Layout.FromRowMajor(step.Floats("grad." + tensor.Name), tensor.Gradients!);
        net.OptimizerStep();
        foreach (NamedTensor tensor in net.Parameters) AssertTensor(tensor, tensor.Values, step, 1e-6);
    }

    private static void AssertTensor(NamedTensor tensor, float[] values, FixtureFile fixture, double tolerance)
    {
        float[] expected = fixture.Floats(tensor.Name);
        var actual = new float[expected.Length];
        tensor.Layout.ToRowMajor(values, actual);
        for (int i = 0; i < expected.Length; i++)
            Assert.True(Math.Abs(actual[i] - expected[i]) <= tolerance, $"{tensor.Name} {i}: NetGen {actual[i]:R}, PyTorch {expected[i]:R}");
    }

    private static void AssertLogits(INetwork net, float[] inputs, float[] expected, double tolerance)
    {
        var logits = new float[expected.Length];
        net.Forward(inputs, logits);
        for (int i = 0; i < logits.Length; i++)
            Assert.True(Math.Abs(logits[i] - expected[i]) <= tolerance, $"logit {i / 10}, {i % 10}: NetGen {logits[i]:R}, PyTorch {expected[i]:R}");
    }

    private static float[] Buffer(INetwork net, string name) => net.Buffers.Single(b => b.Name == name).Values;

    /// <summary>The values of one channel in a row at each batch norm of the test networks (the pixels of its input image).</summary>
    private static int ValuesPerChannel(string network, string layer) => (network, layer) switch
    {
        ("bnconv", "bn1") => 36,
        ("bnconv", "norm") => 1,
        ("bnchannelsfirst", "bn1") => 4,
        _ => 1,
    };

    private static System.Collections.Generic.List<double[]>? MasksOf(string name, INetwork net, int rows) =>
        name == "bnflat" ? ImageReference.DropoutMasks(net.DropoutRandom!, rows, (0.2, 7)) : null;

    private static void AssertClose(double expected, double actual, double relative, string what) =>
        Assert.True(Math.Abs(expected - actual) <= relative * Math.Max(1, Math.Abs(expected)), $"{what}: expected {expected:R}, got {actual:R}");
}
