using System;
using System.IO;
using System.Linq;
using NetGen.Testing;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// Every kind of bad data, model and image file, tried as a new user would: one line <c>error: FILE: problem</c>
/// on standard error, exit code 1, no stack trace, nothing trained.
/// </summary>
public sealed class BadInputTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    /// <summary>Runs the program and checks for exactly one <c>error:</c> line naming <paramref name="file"/> with each phrase.</summary>
    private RunResult AssertOneErrorLine(string[] args, string file, params string[] phrases)
    {
        RunResult run = App.Run(args);
        output.WriteLine(run.ToString());
        Assert.True(run.ExitCode == 1, run.ToString());
        string[] lines = run.ErrorLines;
        Assert.Single(lines);
        Assert.StartsWith("error: ", lines[0]);
        Assert.Contains(file, lines[0]);
        Assert.True(phrases.Length == 0 || phrases.Any(p => lines[0].Contains(p, StringComparison.Ordinal)), $"none of [{string.Join(" | ", phrases)}] in: {lines[0]}");
        Assert.DoesNotContain("   at ", run.Error);
        Assert.DoesNotContain("Exception", run.Error);
        Assert.DoesNotContain("Test accuracy", run.Out);
        return run;
    }

    /// <summary>The same bad data for train (both sets loaded) and, when the test set is the broken one, for eval.</summary>
    private void AssertDataError(string data, string file, params string[] phrases)
    {
        AssertOneErrorLine(["train", "--data", data, "--epochs", "1"], file, phrases);
        AssertOneErrorLine(["--data", data], file, phrases);
        if (Path.GetFileName(file).StartsWith("t10k", StringComparison.Ordinal))
        {
            string model = _temp.File("model.safetensors");
            if (!File.Exists(model)) File.WriteAllBytes(model, [0]);
            AssertOneErrorLine(["eval", "--load", model, "--data", data], file, phrases);
        }
    }

    private string Data() => Idx.WriteSynthetic(_temp, "data-" + Guid.NewGuid().ToString("N")[..6]);

    [Fact]
    public void Missing_data_folder()
    {
        string missing = _temp.File("no-such-folder");
        AssertDataError(missing, missing, "folder not found");
    }

    [Fact]
    public void Missing_data_file()
    {
        string data = Data();
        File.Delete(Path.Combine(data, "train-labels-idx1-ubyte.gz"));
        AssertDataError(data, Path.Combine(data, "train-labels-idx1-ubyte"), "file not found");
    }

    [Fact]
    public void Missing_test_file()
    {
        string data = Data();
        File.Delete(Path.Combine(data, "t10k-images-idx3-ubyte.gz"));
        AssertDataError(data, Path.Combine(data, "t10k-images-idx3-ubyte"), "file not found");
    }

    [Fact]
    public void Truncated_gz_file()
    {
        string data = Data();
        string file = Path.Combine(data, "train-images-idx3-ubyte.gz");
        byte[] gz = File.ReadAllBytes(file);
        File.WriteAllBytes(file, gz[..(gz.Length / 2)]);
        AssertDataError(data, file, "truncated", "corrupt gzip");
    }

    [Fact]
    public void Corrupt_gzip_data()
    {
        string data = Data();
        string file = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        byte[] gz = File.ReadAllBytes(file);
        for (int i = 10; i < gz.Length - 8; i++) gz[i] = 0xFF;
        File.WriteAllBytes(file, gz);
        AssertDataError(data, file, "corrupt gzip");
    }

    [Fact]
    public void Wrong_magic_number()
    {
        string data = Data();
        string file = Path.Combine(data, "train-images-idx3-ubyte.gz");
        File.Delete(file);
        string plain = Path.Combine(data, "train-images-idx3-ubyte");
        File.WriteAllBytes(plain, Idx.Build([10, 28, 28], new byte[10 * 784], first: 0x12, second: 0x34));
        AssertDataError(data, plain, "not an IDX file");
    }

    [Fact]
    public void Wrong_data_type()
    {
        string data = Data();
        string file = Path.Combine(data, "t10k-images-idx3-ubyte.gz");
        File.WriteAllBytes(file, Idx.Gzip(Idx.Build([5, 28, 28], new byte[5 * 784], type: 0x0D)));
        AssertDataError(data, file, "unsupported data type");
    }

    [Fact]
    public void Empty_file()
    {
        string data = Data();
        string file = Path.Combine(data, "train-labels-idx1-ubyte.gz");
        File.WriteAllBytes(file, []);
        AssertDataError(data, file, "empty");
    }

    [Fact]
    public void Wrong_image_size()
    {
        string data = Data();
        File.WriteAllBytes(Path.Combine(data, "train-images-idx3-ubyte.gz"), Idx.Gzip(Idx.Images(10, 20, 20)));
        File.WriteAllBytes(Path.Combine(data, "t10k-images-idx3-ubyte.gz"), Idx.Gzip(Idx.Images(5, 20, 20)));
        const string Problem = "wrong image size: the images are 20x20 (400 pixels), but network \"mnist\" takes 784 inputs";
        AssertOneErrorLine(["train", "--data", data], Path.Combine(data, "train-images-idx3-ubyte.gz") + ": " + Problem);
        string model = _temp.File("model.safetensors");
        File.WriteAllBytes(model, [0]);
        AssertOneErrorLine(["eval", "--load", model, "--data", data], Path.Combine(data, "t10k-images-idx3-ubyte.gz") + ": " + Problem);
    }

    [Fact]
    public void Images_as_a_matrix_instead_of_three_dimensions()
    {
        string data = Data();
        string file = Path.Combine(data, "train-images-idx3-ubyte.gz");
        File.WriteAllBytes(file, Idx.Gzip(Idx.Build([10, 784], new byte[10 * 784])));
        AssertDataError(data, file, "expected 3 dimensions");
    }

    [Fact]
    public void Label_count_mismatch()
    {
        string data = Data();
        string file = Path.Combine(data, "train-labels-idx1-ubyte.gz");
        File.WriteAllBytes(file, Idx.Gzip(Idx.Labels(9)));
        AssertDataError(data, file, "count mismatch: 9 labels but");
    }

    [Fact]
    public void Label_outside_0_to_9()
    {
        string data = Data();
        string file = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(file, Idx.Gzip(Idx.Build([5], [1, 2, 12, 3, 4])));
        AssertDataError(data, file, "label out of range: label 2 is 12");
    }

    [Fact]
    public void Trailing_bytes_after_the_data()
    {
        string data = Data();
        string file = Path.Combine(data, "t10k-labels-idx1-ubyte.gz");
        File.WriteAllBytes(file, Idx.Gzip([.. Idx.Labels(5), 9, 9, 9]));
        AssertDataError(data, file, "trailing data");
    }

    [Fact]
    public void Missing_model_file()
    {
        string data = Data();
        string model = _temp.File("missing.safetensors");
        AssertOneErrorLine(["eval", "--load", model, "--data", data], model, "model file not found (--load)");
        AssertOneErrorLine(["predict", "--load", model, _temp.File("digit.pgm")], model, "model file not found (--load)");
        AssertOneErrorLine(["train", "--resume", model, "--data", data], model, "model file not found (--resume)");
    }

    [Fact]
    public void Model_file_that_is_not_safetensors()
    {
        string data = Data();
        string model = _temp.File("notes.safetensors");
        File.WriteAllText(model, "these are not the weights you are looking for\n");
        AssertOneErrorLine(["eval", "--load", model, "--data", data], model);
        AssertOneErrorLine(["predict", "--load", model, _temp.File("digit.pgm")], model);
        AssertOneErrorLine(["train", "--resume", model, "--data", data, "--epochs", "2"], model);
    }

    [Fact]
    public void Truncated_model_file()
    {
        string data = Data();
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));
        byte[] bytes = File.ReadAllBytes(model);
        File.WriteAllBytes(model, bytes[..(bytes.Length - 1000)]);
        AssertOneErrorLine(["eval", "--load", model, "--data", data], model);
        AssertOneErrorLine(["train", "--resume", model, "--data", data, "--epochs", "2"], model);
    }

    [Fact]
    public void Model_file_of_another_architecture()
    {
        string data = Data();
        string model = _temp.File("other.safetensors");
        // A PyTorch-style file (no metadata) whose first layer has 100 units instead of 128.
        SafeTensors.Write(model, new System.Collections.Generic.Dictionary<string, SafeTensors.Tensor>
        {
            ["fc1.weight"] = new("F32", [100, 784], new byte[100 * 784 * 4]),
            ["fc1.bias"] = new("F32", [100], new byte[100 * 4]),
            ["fc2.weight"] = new("F32", [64, 100], new byte[64 * 100 * 4]),
            ["fc2.bias"] = new("F32", [64], new byte[64 * 4]),
            ["fc3.weight"] = new("F32", [10, 64], new byte[10 * 64 * 4]),
            ["fc3.bias"] = new("F32", [10], new byte[10 * 4]),
        });
        AssertOneErrorLine(["eval", "--load", model, "--data", data], model, "fc1");
    }

    [Fact]
    public void Resuming_from_a_file_without_a_training_position()
    {
        string data = Data();
        string model = _temp.File("pytorch.safetensors");
        var net = new MnistNet();
        var tensors = new System.Collections.Generic.Dictionary<string, SafeTensors.Tensor>();
        foreach (NamedTensor p in net.Parameters) tensors[p.Name] = SafeTensors.RowMajor(p);
        SafeTensors.Write(model, tensors);
        AssertOneErrorLine(["train", "--resume", model, "--data", data, "--epochs", "2"], model, "has no training position");
    }

    [Fact]
    public void Bad_images_for_predict()
    {
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));
        string missing = _temp.File("missing.png");
        AssertOneErrorLine(["predict", "--load", model, missing], missing, "not found");

        string text = _temp.File("digit.png");
        File.WriteAllText(text, "not a picture");
        AssertOneErrorLine(["predict", "--load", model, text], text);

        string empty = _temp.File("empty.pgm");
        File.WriteAllBytes(empty, []);
        AssertOneErrorLine(["predict", "--load", model, empty], empty);

        string truncated = _temp.File("truncated.pgm");
        File.WriteAllText(truncated, "P5\n28 28\n255\nabc");
        AssertOneErrorLine(["predict", "--load", model, truncated], truncated);

        string folder = _temp.Folder("images");
        AssertOneErrorLine(["predict", "--load", model, folder], folder, "is a folder");
    }

    /// <summary>What a reader that opens a named pipe after all may take before the test fails: the pipe is then released.</summary>
    private static readonly TimeSpan PipeLimit = TimeSpan.FromSeconds(60);

    [Fact]
    public void A_named_pipe_as_a_data_file_is_refused_at_once()
    {
        if (!NamedPipe.Supported) return;
        string data = Data();
        string file = Path.Combine(data, "t10k-images-idx3-ubyte.gz");
        File.Delete(file);
        using var pipe = NamedPipe.Silent(file);
        pipe.Within(PipeLimit, () => AssertDataError(data, file, "is a named pipe (FIFO), not a regular file"));
    }

    [Fact]
    public void A_named_pipe_that_sends_a_valid_header_then_endless_bytes_is_refused_at_once()
    {
        if (!NamedPipe.Supported) return;
        string data = Data();
        File.Delete(Path.Combine(data, "train-images-idx3-ubyte.gz"));
        string file = Path.Combine(data, "train-images-idx3-ubyte");
        using var pipe = NamedPipe.Endless(file, Idx.Build([10, 28, 28], []));
        pipe.Within(PipeLimit, () => AssertDataError(data, file, "is a named pipe (FIFO), not a regular file"));
    }

    [Fact]
    public void A_named_pipe_as_a_model_file_is_refused_at_once()
    {
        if (!NamedPipe.Supported) return;
        string data = Data();
        using var pipe = NamedPipe.Silent(_temp.File("model.safetensors"));
        pipe.Within(PipeLimit, () =>
        {
            AssertOneErrorLine(["eval", "--load", pipe.Path, "--data", data], $"{pipe.Path}: is a named pipe (FIFO), not a model file (--load).");
            AssertOneErrorLine(["predict", "--load", pipe.Path, _temp.File("digit.pgm")], $"{pipe.Path}: is a named pipe (FIFO), not a model file (--load).");
            AssertOneErrorLine(["train", "--resume", pipe.Path, "--data", data], $"{pipe.Path}: is a named pipe (FIFO), not a model file (--resume).");
        });
    }

    [Fact]
    public void A_named_pipe_as_an_image_is_refused_at_once()
    {
        if (!NamedPipe.Supported) return;
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));
        using var pipe = NamedPipe.Silent(_temp.File("digit.png"));
        pipe.Within(PipeLimit, () => AssertOneErrorLine(["predict", "--load", model, pipe.Path], $"{pipe.Path}: is a named pipe (FIFO), not a regular file"));
    }

    [Fact]
    public void A_character_device_is_refused_as_an_image_and_as_a_model_file()
    {
        if (!OperatingSystem.IsLinux()) return;
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));
        // /dev/zero gives zeros without end: read without a cap it took 4.2 GB, then crashed.
        AssertOneErrorLine(["predict", "--load", model, "/dev/zero"], "/dev/zero: is a character device, not a regular file");
        AssertOneErrorLine(["eval", "--load", "/dev/zero", "--data", Data()], "/dev/zero: is a character device, not a model file (--load).");
    }

    [Fact]
    public void An_image_file_over_50_MB_is_refused_before_it_is_read()
    {
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));
        string image = _temp.File("huge.pgm");
        using (var file = File.Create(image))
        {
            file.Write("P5\n28 28\n255\n"u8);
            file.SetLength(50_000_001); // sparse: small on disk
        }
        AssertOneErrorLine(["predict", "--load", model, image],
            $"{image}: too large for an image of one digit: 50000001 bytes, more than the limit of 50000000 (50 MB)");
    }

    [Fact]
    public void A_file_of_no_format_read_or_too_large_is_refused_whatever_its_name()
    {
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));

        // The name says JPEG, the content is text: the line names the formats read.
        string text = _temp.File("x.jpg");
        File.WriteAllText(text, "a seven, honestly\n");
        AssertOneErrorLine(["predict", "--load", model, text],
            $"{text}: not an image format this program reads (it starts with bytes 61 20 73 65 76 65 6e 2c); it reads PNG, JPEG, WebP, GIF, BMP, ICO, WBMP or PGM");

        // MNIST's test images (an IDX file, whose first bytes make a valid WBMP header: 8x3 pixels) given by mistake.
        string idx = Path.Combine(SmallMnist.Directory, MnistData.TestImagesName);
        AssertOneErrorLine(["predict", "--load", model, idx],
            $"{idx}: not an image format this program reads (it is an IDX data file, as MNIST's); it reads PNG, JPEG, WebP, GIF, BMP, ICO, WBMP or PGM");

        // A JPEG over 50 MB is refused before it is read, as a PGM is.
        string huge = _temp.File("huge.jpg");
        using (var file = File.Create(huge))
        {
            file.Write([0xFF, 0xD8, 0xFF, 0xE0]);
            file.SetLength(50_000_001); // sparse: small on disk
        }
        AssertOneErrorLine(["predict", "--load", model, huge],
            $"{huge}: too large for an image of one digit: 50000001 bytes, more than the limit of 50000000 (50 MB)");

        // A small BMP whose header says 20000x20000 pixels is refused before its pixels are allocated (1.6 GB decoded).
        byte[] bmp = ImageFiles.Bmp(2, 2, new byte[16]);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(18), 20_000);
        System.Buffers.Binary.BinaryPrimitives.WriteInt32LittleEndian(bmp.AsSpan(22), 20_000);
        string large = _temp.File("large.bmp");
        File.WriteAllBytes(large, bmp);
        AssertOneErrorLine(["predict", "--load", model, large], $"{large}: the image is too large (20000x20000); at most 50 megapixels are read");
    }

    [Fact]
    public void A_bad_image_among_good_ones_is_reported_and_the_others_are_still_classified()
    {
        string model = _temp.File("model.safetensors");
        ModelFile.Save(model, new MnistNet(), TrainingPosition.Start(1));
        string good = _temp.File("seven.pgm");
        SmallMnist.WritePgm(good, 0);
        string bad = _temp.File("bad.pgm");
        File.WriteAllText(bad, "P5\n");

        RunResult run = App.Run("predict", "--load", model, good, bad, good);
        Assert.Equal(1, run.ExitCode);
        Assert.Equal(2, run.OutLines.Length);
        Assert.All(run.OutLines, line => Assert.StartsWith(good + ": ", line));
        Assert.Single(run.ErrorLines);
        Assert.StartsWith($"error: {bad}", run.ErrorLines[0]);
    }
}
