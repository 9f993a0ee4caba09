namespace NetGen.Generator.Language;

/// <summary>
/// The words of nets.json in one place: the values of each choice paired with what they mean, the layer types, and
/// the properties each object takes. The parser reads them, the emitters write them into comments and the architecture
/// description, and tests hold nets.schema.json and the documentation to them.
/// </summary>
internal static class SpecWords
{
    public static readonly WordTable<Activation> Activations = new(
        ("relu", Activation.Relu),
        ("leaky_relu", Activation.LeakyRelu),
        ("tanh", Activation.Tanh),
        ("sigmoid", Activation.Sigmoid),
        ("gelu", Activation.Gelu),
        ("softplus", Activation.Softplus),
        ("identity", Activation.Identity));

    public static readonly WordTable<LossKind> Losses = new(
        ("cross_entropy", LossKind.CrossEntropy),
        ("binary_cross_entropy", LossKind.BinaryCrossEntropy),
        ("mse", LossKind.MeanSquaredError));

    public static readonly WordTable<OptimizerKind> Optimizers = new(
        ("adam", OptimizerKind.Adam),
        ("adamw", OptimizerKind.AdamW),
        ("sgd", OptimizerKind.Sgd));

    public static readonly WordTable<Initializer> Initializers = new(
        ("default", Initializer.Default),
        ("xavier_uniform", Initializer.XavierUniform),
        ("kaiming_uniform", Initializer.KaimingUniform),
        ("kaiming_normal", Initializer.KaimingNormal),
        ("zeros", Initializer.Zeros));

    public static readonly WordTable<ScheduleType> Schedules = new(
        ("step", ScheduleType.Step),
        ("exponential", ScheduleType.Exponential),
        ("cosine", ScheduleType.Cosine),
        ("warmup_cosine", ScheduleType.WarmupCosine),
        ("reduce_on_plateau", ScheduleType.ReduceOnPlateau));

    /// <summary>The layer types, in the order the schema's <c>layer</c> alternatives list them; a layer without a type is dense.</summary>
    public const string DenseLayer = "dense", DropoutLayer = "dropout", ActivationLayer = "activation", Conv2dLayer = "conv2d",
        MaxPool2dLayer = "max_pool2d", AvgPool2dLayer = "avg_pool2d", BatchNormLayer = "batch_norm";

    public static readonly string[] LayerTypes = { DenseLayer, DropoutLayer, ActivationLayer, Conv2dLayer, MaxPool2dLayer, AvgPool2dLayer, BatchNormLayer };

    /// <summary>The word of <c>"padding"</c> that keeps an image's size (stride 1).</summary>
    public const string SamePadding = "same";

    public static readonly string[] RootProperties = { "$schema", "networks" };
    public static readonly string[] NetworkProperties = { "input", "layers", "shape", "activation", "loss", "optimizer", "training" };
    public static readonly string[] DenseProperties = { "type", "name", "units", "activation", "alpha", "bias", "init" };
    public static readonly string[] DropoutProperties = { "type", "rate" };
    public static readonly string[] Pool2dProperties = { "type", "size", "stride" };
    public static readonly string[] BatchNormProperties = { "type", "name" };
    public static readonly string[] ActivationProperties = { "type", "activation", "alpha" };
    public static readonly string[] Conv2dProperties = { "type", "name", "filters", "kernel", "stride", "padding", "activation", "alpha", "bias", "init" };
    public static readonly string[] AdamProperties = { "type", "lr", "beta1", "beta2", "eps", "weight_decay" };
    public static readonly string[] SgdProperties = { "type", "lr", "momentum", "nesterov", "weight_decay" };
    public static readonly string[] TrainingProperties = { "batch_size", "epochs", "seed", "validation_split", "early_stopping", "clip_grad_norm", "schedule" };
    public static readonly string[] EarlyStoppingProperties = { "patience", "min_delta", "restore_best" };
    public static readonly string[] StepScheduleProperties = { "type", "step_size", "gamma" };
    public static readonly string[] ExponentialScheduleProperties = { "type", "gamma" };
    public static readonly string[] CosineScheduleProperties = { "type", "t_max", "eta_min" };
    public static readonly string[] WarmupCosineScheduleProperties = { "type", "warmup_steps", "start_factor", "eta_min" };
    public static readonly string[] ReduceOnPlateauScheduleProperties = { "type", "factor", "patience", "threshold", "cooldown", "min_lr" };

    /// <summary>The properties a schedule of <paramref name="kind"/> takes.</summary>
    public static string[] ScheduleProperties(ScheduleType kind) => kind switch
    {
        ScheduleType.Step => StepScheduleProperties,
        ScheduleType.Exponential => ExponentialScheduleProperties,
        ScheduleType.Cosine => CosineScheduleProperties,
        ScheduleType.WarmupCosine => WarmupCosineScheduleProperties,
        _ => ReduceOnPlateauScheduleProperties,
    };
}
