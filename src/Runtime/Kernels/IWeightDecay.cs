using System.Numerics;

namespace NetGen.Kernels;

/// <summary>Where an optimizer's weight decay enters, as a type, so each kind gets its own compiled loop.</summary>
internal interface IWeightDecay
{
    /// <summary>The gradient the update uses.</summary>
    static abstract Vector<float> Gradient(Vector<float> g, Vector<float> p, Vector<float> weightDecay);

    static abstract float Gradient(float g, float p, float weightDecay);

    /// <summary>The values before the update subtracts from them.</summary>
    static abstract Vector<float> Parameter(Vector<float> p, Vector<float> decay);

    static abstract float Parameter(float p, float decay);
}

/// <summary>No weight decay.</summary>
internal readonly struct NoDecay : IWeightDecay
{
    public static Vector<float> Gradient(Vector<float> g, Vector<float> p, Vector<float> weightDecay) => g;

    public static float Gradient(float g, float p, float weightDecay) => g;

    public static Vector<float> Parameter(Vector<float> p, Vector<float> decay) => p;

    public static float Parameter(float p, float decay) => p;
}

/// <summary>An L2 penalty: <c>g + weight_decay p</c> (Adam's and SGD's weight_decay).</summary>
internal readonly struct L2Decay : IWeightDecay
{
    public static Vector<float> Gradient(Vector<float> g, Vector<float> p, Vector<float> weightDecay) => g + weightDecay * p;

    public static float Gradient(float g, float p, float weightDecay) => g + weightDecay * p;

    public static Vector<float> Parameter(Vector<float> p, Vector<float> decay) => p;

    public static float Parameter(float p, float decay) => p;
}

/// <summary>Decoupled decay: the values are scaled by <c>1 - lr weight_decay</c> before the update (AdamW).</summary>
internal readonly struct DecoupledDecay : IWeightDecay
{
    public static Vector<float> Gradient(Vector<float> g, Vector<float> p, Vector<float> weightDecay) => g;

    public static float Gradient(float g, float p, float weightDecay) => g;

    public static Vector<float> Parameter(Vector<float> p, Vector<float> decay) => p * decay;

    public static float Parameter(float p, float decay) => p * decay;
}
