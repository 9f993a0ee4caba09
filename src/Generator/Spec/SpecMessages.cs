using NetGen.Generator.Language;

namespace NetGen.Generator.Spec;

/// <summary>
/// The texts NetGen fills into its spec diagnostics (the descriptors' formats are in DiagnosticDescriptors), in one
/// place: what is wrong, where, and what to change.
/// </summary>
internal static class SpecMessages
{
    public const string EmptyFile = "the file is empty; it needs an object such as { \"networks\": { ... } }";
    public const string ExpectedDocument = "an object such as { \"networks\": { ... } }";
    public const string NetworksHint = ", an object of networks by name";
    public const string ExpectedNetworks = "an object of networks by name, such as { \"mnist\": { ... } }";
    public const string ExpectedNetwork = "an object describing the network";
    public const string NetworkNameRule = "a name of letters, digits, '_' or '-', starting with a letter";
    public const string LayersHint = " (or the shorthand \"shape\": \"784-128-10\")";
    public const string ExpectedLayers = "an array of layers such as [{ \"units\": 128, \"activation\": \"relu\" }, { \"units\": 10 }]";
    public const string EmptyLayers = "at least one layer; the last layer's units are the outputs";
    public const string ExpectedLayer = "an object such as { \"units\": 128, \"activation\": \"relu\" }";
    public const string SizeForms = "a whole number or [height, width]";
    public const string SizeHint = ", a whole number or [height, width]";
    public const string SameNeedsStrideOne = "\"padding\": \"same\" keeps the image's size, which only a stride of 1 does (as in PyTorch); give the padding as a number, or use \"stride\": 1";
    public const string ImageLayerAfterFlat = "an image layer needs an image: put it before the first dense layer, and give \"input\" as [channels, height, width]";

    public static string KernelTooLarge(string what, Size2 window, int height, int width, Padding2 padding) =>
        $"a {window} {what} is larger than the {height}x{width} input (padding {padding}); make it smaller or pad the input";

    public static string WindowTooLarge(Size2 window, int height, int width) =>
        $"a {window} pooling window is larger than the {height}x{width} input; make it smaller";

    public const string InputForms = "a whole number (a flat row) or [channels, height, width] (an image)";
    public const string ExpectedShape = "a string such as \"784-128-64-10\"";
    public const string ShapeSizeMissing = "a size is missing";
    public const string ShapeOneSize = "it has only one size";
    public const string ActivationHint = ", one of relu, leaky_relu, tanh, sigmoid, gelu, softplus, identity";
    public const string RateHint = ", the probability of dropping each value in training, in [0, 1)";
    public const string ExpectedOptimizer = "an object such as { \"type\": \"adam\", \"lr\": 0.001 }";
    public const string OptimizerTypeHint = ": \"adam\", \"adamw\" or \"sgd\"";
    public const string SgdLearningRateHint = ", the learning rate: sgd has no default one, as in PyTorch";
    public const string NesterovNeedsMomentum = "\"nesterov\": true needs a \"momentum\" greater than 0 (as in PyTorch); add \"momentum\", e.g. 0.9, or remove \"nesterov\"";
    public const string ExpectedTraining = "an object such as { \"batch_size\": 32, \"epochs\": 5, \"seed\": 1 }";
    public const string ExpectedEarlyStopping = "an object such as { \"patience\": 10, \"min_delta\": 0, \"restore_best\": true }";
    public const string ExpectedSchedule = "an object such as { \"type\": \"cosine\" } or { \"type\": \"step\", \"step_size\": 30, \"gamma\": 0.1 }";
    public const string ScheduleTypeHint = ": \"step\", \"exponential\", \"cosine\", \"warmup_cosine\" or \"reduce_on_plateau\"";
    public const string ExponentialGammaHint = ", the factor of each epoch's decay: exponential has no default one, as in PyTorch";
    public const string EpsilonRange = "greater than 0 (it keeps the update's denominator away from 0)";

    // Ranges, as "it must be ...".
    public const string AtLeastOne = "at least 1", AtLeastZero = "at least 0", Positive = "greater than 0", Fraction = "in [0, 1)";
    public const string Int32Range = "a 32-bit integer";
    public const string OpenFraction = "greater than 0 and less than 1", StartFactorRange = "greater than 0 and at most 1";

    public static string Between(int low, int high) => $"between {low} and {high}";

    // Where a mistake is, in words.
    public const string Document = "the document", LayerType = "layer type";

    public static string Network(string name) => $"network \"{name}\"";

    public static string Layer(int index) => $"layer {index + 1}";

    public static string Optimizer(string network) => $"the optimizer of {network}";

    public static string Training(string network) => $"the training section of {network}";

    public static string EarlyStopping(string network) => $"the early stopping of {network}";

    public static string Schedule(string network) => $"the schedule of {network}";

    public static string ShapeNotPositive(string part) => $"\"{part}\" is not a positive whole number";

    public static string ShapeAndLayers(string network) => $"Network \"{network}\" has both \"shape\" and \"layers\"; keep one of them";

    public static string ShapeAndInput(string network) => $"Network \"{network}\" has both \"shape\" and \"input\"; \"shape\" already starts with the input size";

    public const string ActivationWithoutShape = "A network-level \"activation\" only goes with \"shape\"; with \"layers\", give each layer its own \"activation\"";

    public static string InvalidLayerName(string name) =>
        $"Layer name \"{name}\" must start with a letter and hold only letters, digits and '_' (it becomes C# member names)";

    public static string LayerNameClash(string name, string member) =>
        $"Layer name \"{name}\" clashes with an earlier layer (names become C# members such as {member}Weight, so case and '_' do not tell them apart)";

    public static string AlphaWithoutLeakyRelu(string where, string activation) =>
        $"\"alpha\" is the negative slope of \"leaky_relu\", but {where} has the activation \"{activation}\"; remove \"alpha\" or use \"activation\": \"leaky_relu\"";

    public static string DropoutAfterDropout(string where) => $"{where} is a dropout layer right after another one; merge them into one dropout layer";

    public static string DropoutFirst(string where) =>
        $"{where} is a dropout layer before any dense, conv2d or pooling layer; NetGen drops a layer's outputs, not the network's inputs, so put it after one";

    public static string DropoutLast(string where) =>
        $"{where} is a dropout layer at the end; the loss needs the output layer's values, so put dropout between dense layers";

    public static string BatchNormFirst(string where) =>
        $"{where} is a batch norm layer before any dense, conv2d or pooling layer; it normalizes a layer's outputs, not the network's inputs (standardize the data instead), so put it after one";

    public static string BatchNormAfterBatchNorm(string where) =>
        $"{where} is a batch norm layer right after another one, which already gives each channel mean 0 and variance 1; remove one";

    public static string BatchTooLarge(long maxBatch, long widest) =>
        $"at most {maxBatch} for this network: a batch buffer of {widest}-wide rows must stay under 2^29 values";

    public const string NothingToTrain =
        "the last dense layer's units are the network's outputs; add one, such as { \"units\": 10 }";

    public const string FlatOutputs = "a flat row of outputs: end the network with a dense layer";

    public const string CrossEntropyOutputs = "at least 2 units, one logit per class";

    public const string BinaryCrossEntropyOutputs =
        "exactly 1 unit, the logit of the positive class (for several independent yes/no outputs, or one-hot classes, use mse or cross_entropy)";

    public static string KnownProperties(string list) => "; known properties: " + list;

    public static string DidYouMean(string suggestion) => $"; did you mean \"{suggestion}\"?";

    public static string DidYouMeanValue(string suggestion) => $" (did you mean \"{suggestion}\"?)";

    public static string WholeNumber(string found) => $"a whole number, not {found}";

    public static string Number(string found) => $"a number, not {found}";

    public static string Boolean(string found) => $"true or false, not {found}";

    public static string String(string found) => $"a string, not {found}";

    public static string Expected(string expected, string found) => $"{expected}, not {found}";

    public static string FitInFloat(string range) => range + " and fit in a float";

    public static string AsFloat(string range) => range + " as a float";

    public static string FitInDouble(string range) => range + " and fit in a double";
}
