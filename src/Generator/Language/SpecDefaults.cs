namespace NetGen.Generator.Language;

/// <summary>What nets.json means where it is silent: PyTorch's defaults, and NetGen's own for training.</summary>
internal static class SpecDefaults
{
    /// <summary>PyTorch's default negative slope of LeakyReLU.</summary>
    public const float Alpha = 0.01f;

    public const LossKind Loss = LossKind.CrossEntropy;

    public const float AdamLearningRate = 0.001f;
    public const double Beta1 = 0.9, Beta2 = 0.999;
    public const float Epsilon = 1e-8f;

    /// <summary>AdamW's decoupled weight decay (Adam's and SGD's is 0).</summary>
    public const float AdamWWeightDecay = 0.01f;

    public const int BatchSize = 32, Epochs = 5, Seed = 0;

    /// <summary>Early stopping's: Keras' min_delta and restore_best_weights=True.</summary>
    public const double MinDelta = 0;
    public const bool RestoreBest = true;

    /// <summary>PyTorch's scheduler defaults: StepLR's gamma, LinearLR's start_factor (the warmup's), CosineAnnealingLR's eta_min.</summary>
    public const double StepGamma = 0.1, StartFactor = 1.0 / 3, EtaMin = 0;

    /// <summary>PyTorch's ReduceLROnPlateau defaults.</summary>
    public const double PlateauFactor = 0.1, PlateauThreshold = 1e-4, PlateauMinLr = 0;
    public const int PlateauPatience = 10, PlateauCooldown = 0;
}
