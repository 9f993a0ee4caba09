using System.Linq;
using NetGen.Generator.Language;
using NetGen.Generator.Layers;
using NetGen.Generator.Model;
using NetGen.Generator.Plan;
using Xunit;

namespace NetGen.Generator.Tests;

using LossKind = NetGen.Generator.Language.LossKind;

/// <summary>The planner's decisions on hand-built specs: flows, fused passes, gradients, buffers, names, tensors, limits.</summary>
public class PlannerTests
{
    private static readonly OptimizerSpec Adam = new(OptimizerKind.Adam, 0.001f);

    private static NetworkPlan Plan(int input, params LayerSpec[] layers) => Plan(input, LossKind.CrossEntropy, Adam, layers);

    private static NetworkPlan Plan(int input, LossKind loss, OptimizerSpec optimizer, LayerSpec[] layers, string fullName = "MyApp.Net")
    {
        var spec = new NetworkSpec("net", Shape.Flat(input), new EquatableArray<LayerSpec>(layers), loss, optimizer, new TrainingSpec(32, 5, 1));
        int dot = fullName.LastIndexOf('.');
        var cls = new NetworkClass(dot < 0 ? "" : fullName.Substring(0, dot), fullName.Substring(dot + 1), "public", fullName);
        return Planner.Plan(new GenerationModel(cls, spec));
    }

    private static NetworkPlan Mnist() => Plan(784,
        new DenseLayerSpec("fc1", 128, Activation.Relu), new DenseLayerSpec("fc2", 64, Activation.Relu), new DenseLayerSpec("fc3", 10));

    [Fact]
    public void Mnist_keeps_the_architecture_and_spec_hash_model_files_of_0_1_0_carry()
    {
        NetworkPlan plan = Mnist();
        Assert.Equal("input 784; fc1 128 relu; fc2 64 relu; fc3 10 identity; loss cross_entropy; optimizer adam", plan.Architecture);
        Assert.Equal("e9bf0d7aa95da2f2", plan.SpecHash);
        Assert.Equal("784 -> 128 relu -> 64 relu -> 10, cross-entropy loss, Adam", plan.Description);
        Assert.Equal(109_386, plan.ParameterCount);
        Assert.Equal(784, plan.WidestRow);
    }

    [Fact]
    public void Mnist_flows_from_the_input_through_each_layer_to_the_loss()
    {
        DensePlan[] dense = Mnist().Layers.Cast<DensePlan>().ToArray();
        Assert.Equal(new[] { "x", "fc1Y", "fc2Y" }, dense.Select(d => d.Flow.Input));
        Assert.Equal(new[] { "fc1Y", "fc2Y", "fc3Y" }, dense.Select(d => d.Flow.Output));
        Assert.Equal(new[] { "fc1DZ", "fc2DZ", "fc3DZ" }, dense.Select(d => d.Flow.Gradient));
        // The first layer's input is the network's: nobody needs its gradient.
        Assert.Equal(new string?[] { null, "fc1DZ", "fc2DZ" }, dense.Select(d => d.Flow.InputGradient));
        Assert.Equal(new[] { false, false, true }, dense.Select(d => d.Flow.IsOutput));
        Assert.Equal("logits.Slice(start * OutputSize, n * OutputSize)", dense[2].Flow.InferenceOutput);
    }

    [Fact]
    public void A_hidden_relu_needs_no_pass_when_the_dense_layer_after_it_masks_its_zeros()
    {
        DensePlan[] dense = Mnist().Layers.Cast<DensePlan>().ToArray();
        Assert.Equal(new[] { false, false, false }, dense.Select(d => d.ActivationPass));
        Assert.Equal(new[] { false, true, true }, dense.Select(d => d.MaskInputGradient));
        Assert.All(dense, d => Assert.Null(d.PreActivation));
    }

    [Fact]
    public void A_relu_on_the_output_layer_has_its_pass_from_the_outputs()
    {
        var last = (DensePlan)Plan(5, new DenseLayerSpec("fc1", 7, Activation.Relu), new DenseLayerSpec("fc2", 3, Activation.Relu)).Layers[1];
        Assert.True(last.ActivationPass);
        Assert.True(last.PassReadsOutput);
    }

    [Theory]
    [InlineData("tanh")]
    [InlineData("sigmoid")]
    [InlineData("gelu")]
    [InlineData("softplus")]
    public void Activations_whose_derivative_needs_z_keep_it_in_a_buffer_and_have_a_pass(string word)
    {
        Activation activation = SpecWords.Activations.Find(word)!.Value;
        NetworkPlan plan = Plan(5, new DenseLayerSpec("fc1", 7, activation), new DenseLayerSpec("fc2", 3));
        var hidden = (DensePlan)plan.Layers[0];
        Assert.Equal("fc1Z", hidden.PreActivation);
        Assert.Contains(hidden.Buffers, b => b.Name == "fc1Z" && b.Width == "Fc1Out");
        Assert.True(hidden.ActivationPass);
        Assert.False(hidden.PassReadsOutput);
        Assert.False(((DensePlan)plan.Layers[1]).MaskInputGradient);
    }

    [Fact]
    public void Leaky_relu_has_a_pass_from_the_outputs_and_a_constant_for_its_slope()
    {
        var hidden = (DensePlan)Plan(5, new DenseLayerSpec("fc1", 7, Activation.LeakyRelu, 0.1f), new DenseLayerSpec("fc2", 3)).Layers[0];
        Assert.True(hidden.ActivationPass);
        Assert.True(hidden.PassReadsOutput);
        Assert.Equal("Fc1Alpha", hidden.AlphaConstant);
        Assert.Null(hidden.PreActivation);
    }

    [Fact]
    public void Dropout_works_in_place_on_the_layer_before_and_keeps_the_relu_mask_of_the_layer_after()
    {
        NetworkPlan plan = Plan(5, new DenseLayerSpec("fc1", 7, Activation.Relu), new DropoutLayerSpec(0.25f), new DenseLayerSpec("fc2", 3));
        var dropout = Assert.IsType<DropoutPlan>(plan.Layers[1]);
        Assert.True(plan.HasDropout);
        Assert.Equal("dropout1", dropout.Name);
        Assert.Equal(("fc1Y", "fc1Y", "fc1DZ", "fc1DZ"), (dropout.Flow.Input, dropout.Flow.Output, dropout.Flow.Gradient, dropout.Flow.InputGradient));
        Assert.Equal("Fc1Out", dropout.Flow.Width);
        Assert.Equal(new[] { "dropout1Keep" }, dropout.Buffers.Select(b => b.Name));
        Assert.Equal(1 / 0.75f, dropout.KeepScale);
        var after = (DensePlan)plan.Layers[2];
        Assert.Equal("fc1Y", after.Flow.Input);
        Assert.True(after.MaskInputGradient);
        Assert.False(((DensePlan)plan.Layers[0]).ActivationPass);
        Assert.Equal("input 5; fc1 7 relu; dropout 0.25; fc2 3 identity; loss cross_entropy; optimizer adam", plan.Architecture);
        // Forward has no dropout, and no buffer for it.
        Assert.Equal(new[] { "fc1Y" }, plan.Inference.Hidden.Select(b => b.Name));
    }

    [Fact]
    public void Tensors_come_in_PyTorch_order_with_PyTorch_shapes_and_no_bias_where_there_is_none()
    {
        NetworkPlan plan = Plan(3, new DenseLayerSpec("hidden", 5, Activation.Relu, HasBias: false), new DenseLayerSpec("fc2", 2));
        Assert.Equal(new[] { "hidden.weight", "fc2.weight", "fc2.bias" }, plan.Tensors.Select(t => t.TorchName));
        Assert.Equal(new[] { "HiddenOut, HiddenIn", "Fc2Out, Fc2In", "Fc2Out" }, plan.Tensors.Select(t => t.Shape));
        Assert.Equal(new[] { "[5, 3]", "[2, 5]", "[2]" }, plan.Tensors.Select(t => t.DimsText));
        Assert.Equal(new[] { "_hiddenW", "_fc2W", "_fc2B" }, plan.Tensors.Select(t => t.Field));
        Assert.Equal(5 * 3 + 2 * 5 + 2, plan.ParameterCount);
    }

    [Theory]
    [InlineData("adam", 0f, 0f, "exp_avg,exp_avg_sq", false, "adam")]
    [InlineData("adam", 0.01f, 0f, "exp_avg,exp_avg_sq", true, "adam")]
    [InlineData("adamw", 0.01f, 0f, "exp_avg,exp_avg_sq", false, "adamw")]
    [InlineData("sgd", 0f, 0f, "", false, "sgd")]
    [InlineData("sgd", 0.001f, 0.9f, "momentum_buffer", true, "sgd momentum")]
    public void The_optimizer_keeps_PyTorchs_state_and_adds_L2_decay_except_for_AdamW(string word, float decay, float momentum, string state, bool l2, string architecture)
    {
        var optimizer = new OptimizerSpec(SpecWords.Optimizers.Find(word)!.Value, 0.01f, WeightDecay: decay, Momentum: momentum);
        OptimizerPlan plan = Plan(4, LossKind.CrossEntropy, optimizer, new LayerSpec[] { new DenseLayerSpec("fc1", 2) }).Optimizer;
        Assert.Equal(state, string.Join(",", plan.State.Select(s => s.TorchName)));
        Assert.Equal(l2, plan.L2);
        Assert.Equal(architecture, plan.ArchitectureName);
    }

    [Theory]
    [InlineData("cross_entropy", false, "OutputSize")]
    [InlineData("mse", true, "OutputSize")]
    [InlineData("binary_cross_entropy", true, "2")]
    public void The_loss_says_whether_the_class_takes_float_targets_and_how_many_classes_it_has(string word, bool targets, string classes)
    {
        LossKind loss = SpecWords.Losses.Find(word)!.Value;
        LossPlan plan = Plan(4, loss, Adam, new LayerSpec[] { new DenseLayerSpec("fc1", loss == LossKind.BinaryCrossEntropy ? 1 : 3) }).Loss;
        Assert.Equal(targets, plan.UsesTargets);
        Assert.Equal(classes, plan.ClassCount);
    }

    [Fact]
    public void A_layer_wider_than_the_listed_inputs_limit_keeps_the_portable_forward_kernel()
    {
        NetworkPlan plan = Plan(Limits.MaxListedInputs + 1, new DenseLayerSpec("fc1", 4), new DenseLayerSpec("fc2", 2));
        Assert.False(((DensePlan)plan.Layers[0]).BlockedForward);
        Assert.True(((DensePlan)plan.Layers[1]).BlockedForward);
    }

    [Fact]
    public void Forward_rents_its_buffers_when_a_chunk_of_hidden_outputs_would_not_fit_the_stack()
    {
        Assert.True(Mnist().Inference.OnStack);
        Assert.Equal(Limits.ForwardChunkRows, Mnist().Inference.ChunkRows);
        NetworkPlan wide = Plan(2, new DenseLayerSpec("fc1", Limits.ForwardStackFloats + 1, Activation.Relu), new DenseLayerSpec("fc2", 2));
        Assert.False(wide.Inference.OnStack);
        Assert.Equal(1, wide.Inference.ChunkRows);
        NetworkPlan middle = Plan(2, new DenseLayerSpec("fc1", 1000, Activation.Relu), new DenseLayerSpec("fc2", 2));
        Assert.Equal(Limits.ForwardStackFloats / 1000, middle.Inference.ChunkRows);
    }

    [Fact]
    public void Equal_specs_give_equal_plans_and_a_changed_size_a_different_one()
    {
        Assert.Equal(Mnist(), Mnist());
        Assert.Equal(Mnist().GetHashCode(), Mnist().GetHashCode());
        Assert.NotEqual(Mnist(), Plan(784, new DenseLayerSpec("fc1", 128, Activation.Relu), new DenseLayerSpec("fc2", 65, Activation.Relu), new DenseLayerSpec("fc3", 10)));
    }

    [Theory]
    [InlineData("MyApp.Net", "MyApp_NetCore")]
    [InlineData("Net", "NetCore")]
    [InlineData("My_App.Net", "My__App_NetCore")]
    [InlineData("My.App_Net", "My_App__NetCore")]
    public void The_core_class_name_is_unique_per_user_class(string fullName, string core)
    {
        ClassPlan cls = Plan(4, LossKind.CrossEntropy, Adam, new[] { (LayerSpec)new DenseLayerSpec("fc1", 2) }, fullName).Class;
        Assert.Equal(core, cls.CoreName);
        Assert.Equal(fullName + ".g.cs", cls.HintName);
    }

    [Fact]
    public void An_activation_layer_after_a_dense_layer_without_one_plans_as_that_layers_activation()
    {
        NetworkPlan folded = Plan(784,
            new DenseLayerSpec("fc1", 128), new ActivationLayerSpec(Activation.Relu),
            new DenseLayerSpec("fc2", 64), new ActivationLayerSpec(Activation.Relu),
            new DenseLayerSpec("fc3", 10));
        Assert.Equal(Mnist(), folded);
        Assert.Equal("e9bf0d7aa95da2f2", folded.SpecHash);
    }

    [Fact]
    public void Identity_activation_layers_are_left_out()
    {
        NetworkPlan plan = Plan(5, new ActivationLayerSpec(Activation.Identity), new DenseLayerSpec("fc1", 7), new ActivationLayerSpec(Activation.Identity),
            new ActivationLayerSpec(Activation.Tanh), new DenseLayerSpec("fc2", 3));
        Assert.Equal(new[] { "fc1", "fc2" }, plan.Layers.Select(l => l.Name));
        Assert.Equal(Activation.Tanh, ((DensePlan)plan.Layers[0]).Activation);
    }

    [Fact]
    public void An_activation_layer_first_works_on_the_inputs_and_needs_no_gradient()
    {
        NetworkPlan plan = Plan(6, new ActivationLayerSpec(Activation.Tanh), new DenseLayerSpec("fc1", 4, Activation.Relu), new DenseLayerSpec("fc2", 3));
        var first = Assert.IsType<ActivationPlan>(plan.Layers[0]);
        Assert.Equal(("act1", "x", "act1Y", "act1DY"), (first.Name, first.Flow.Input, first.Flow.Output, first.Flow.Gradient));
        Assert.Null(first.Flow.InputGradient);
        Assert.Equal("inputs.Slice(start * InputSize, n * InputSize)", first.Flow.InferenceInput);
        var dense = (DensePlan)plan.Layers[1];
        Assert.Equal("act1Y", dense.Flow.Input);
        Assert.Null(dense.Flow.InputGradient); // nothing before it has parameters
        Assert.Equal("input 6; activation tanh; fc1 4 relu; fc2 3 identity; loss cross_entropy; optimizer adam", plan.Architecture);
        Assert.Equal("6 -> tanh -> 4 relu -> 3, cross-entropy loss, Adam", plan.Description);
    }

    [Fact]
    public void A_relu_dense_layer_needs_its_pass_before_an_activation_that_keeps_zeros_and_none_before_a_relu_layer()
    {
        NetworkPlan gelu = Plan(5, new DenseLayerSpec("fc1", 7, Activation.Relu), new ActivationLayerSpec(Activation.Gelu), new DenseLayerSpec("fc2", 3));
        Assert.True(((DensePlan)gelu.Layers[0]).ActivationPass);
        var act = Assert.IsType<ActivationPlan>(gelu.Layers[1]);
        Assert.Equal(("fc1Y", "act1Y", "act1DY", "fc1DZ"), (act.Flow.Input, act.Flow.Output, act.Flow.Gradient, act.Flow.InputGradient));
        Assert.False(((DensePlan)gelu.Layers[2]).MaskInputGradient);

        NetworkPlan relu = Plan(5, new DenseLayerSpec("fc1", 7, Activation.Relu), new ActivationLayerSpec(Activation.Relu), new DenseLayerSpec("fc2", 3));
        Assert.False(((DensePlan)relu.Layers[0]).ActivationPass);
        Assert.True(((DensePlan)relu.Layers[2]).MaskInputGradient);
    }

    [Fact]
    public void An_activation_layer_after_dropout_reads_the_dropped_rows_and_the_output_one_writes_the_logits()
    {
        NetworkPlan plan = Plan(5, LossKind.MeanSquaredError, Adam, new LayerSpec[]
        {
            new DenseLayerSpec("fc1", 7, Activation.Tanh), new DropoutLayerSpec(0.5f), new ActivationLayerSpec(Activation.LeakyRelu, 0.2f),
            new DenseLayerSpec("fc2", 3, Activation.Relu), new ActivationLayerSpec(Activation.Sigmoid),
        });
        Assert.Equal(new[] { "fc1", "dropout1", "act1", "fc2", "act2" }, plan.Layers.Select(l => l.Name));
        var leaky = (ActivationPlan)plan.Layers[2];
        Assert.Equal(("fc1Y", "fc1DZ", "Act1Alpha"), (leaky.Flow.Input, leaky.Flow.InputGradient, leaky.AlphaConstant));
        var last = (ActivationPlan)plan.Layers[4];
        Assert.True(last.Flow.IsOutput);
        Assert.False(plan.Layers[3].Flow.IsOutput);
        Assert.Equal("logits.Slice(start * OutputSize, n * OutputSize)", last.Flow.InferenceOutput);
        Assert.Equal(new[] { "fc1Y", "act1Y", "fc2Y" }, plan.Inference.Hidden.Select(b => b.Name));
        Assert.Equal(3, plan.OutputSize);
    }

    [Fact]
    public void Planned_names_do_not_take_the_members_of_a_named_layer()
    {
        // The relu folds into act_1; the tanh would be act1, whose members (Act1Forward) act_1 already has.
        NetworkPlan plan = Plan(5, new DenseLayerSpec("act_1", 7), new ActivationLayerSpec(Activation.Relu), new ActivationLayerSpec(Activation.Tanh), new DenseLayerSpec("fc2", 3));
        Assert.Equal(new[] { "act_1", "act2", "fc2" }, plan.Layers.Select(l => l.Name));
    }
}
