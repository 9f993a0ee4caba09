using System.Numerics;

namespace NetGen.Kernels;

/// <summary>Whether and how SGD uses its momentum buffer, as a type, so each kind gets its own compiled loop.</summary>
internal interface IMomentum
{
    static abstract bool HasBuffer { get; }

    /// <summary>The direction of the step, from the gradient and the updated buffer.</summary>
    static abstract Vector<float> Direction(Vector<float> g, Vector<float> buffer, Vector<float> momentum);

    static abstract float Direction(float g, float buffer, float momentum);
}

/// <summary>Plain SGD: the gradient itself.</summary>
internal readonly struct NoMomentum : IMomentum
{
    public static bool HasBuffer => false;

    public static Vector<float> Direction(Vector<float> g, Vector<float> buffer, Vector<float> momentum) => g;

    public static float Direction(float g, float buffer, float momentum) => g;
}

/// <summary>Momentum: the buffer.</summary>
internal readonly struct HeavyBallMomentum : IMomentum
{
    public static bool HasBuffer => true;

    public static Vector<float> Direction(Vector<float> g, Vector<float> buffer, Vector<float> momentum) => buffer;

    public static float Direction(float g, float buffer, float momentum) => buffer;
}

/// <summary>Nesterov momentum: the gradient plus momentum times the buffer.</summary>
internal readonly struct NesterovMomentum : IMomentum
{
    public static bool HasBuffer => true;

    public static Vector<float> Direction(Vector<float> g, Vector<float> buffer, Vector<float> momentum) => g + momentum * buffer;

    public static float Direction(float g, float buffer, float momentum) => g + momentum * buffer;
}
