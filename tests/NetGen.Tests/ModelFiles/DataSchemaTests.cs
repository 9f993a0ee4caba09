using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Training;
using Xunit;

namespace NetGen.Tests.ModelFiles;

/// <summary>A model file keeps what the training rows looked like, in its metadata, and refuses a schema that does not fit.</summary>
public sealed class DataSchemaTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-schema-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private static DataSchema Schema() => new()
    {
        FeatureNames = new[] { "x", "y, with a comma and \"quotes\"" },
        TargetNames = new[] { "kind" },
        ClassNames = new[] { "apple", "pear", "plum" },
        Standardization = new Standardization(new[] { 0.1f, -2.5e-7f }, new[] { 3f, 1.0000001f }),
    };

    [Fact]
    public void The_schema_comes_back_exactly_and_the_tensors_stay_a_state_dict()
    {
        string path = Path.Combine(_folder, "m.safetensors");
        using var network = new BlobsNet();
        ModelFile.Save(path, network, null, Schema());

        using var loaded = new BlobsNet(seed: 99);
        Checkpoint checkpoint = ModelFile.Load(path, loaded);
        DataSchema data = checkpoint.Data!;
        Assert.Equal(Schema().FeatureNames, data.FeatureNames);
        Assert.Equal(Schema().TargetNames, data.TargetNames);
        Assert.Equal(Schema().ClassNames, data.ClassNames);
        Assert.Equal(Schema().Standardization!.Mean, data.Standardization!.Mean);
        Assert.Equal(Schema().Standardization!.Scale, data.Standardization.Scale);
        Assert.Equal("pear", data.ClassName(1));
        Assert.Equal("7", data.ClassName(7));
        Assert.Equal(network.Parameters.SelectMany(p => p.Values), loaded.Parameters.SelectMany(p => p.Values));

        ModelFile.Save(path, network);
        Assert.Null(ModelFile.ReadMetadata(path).Data);
    }

    [Fact]
    public void Applying_the_schema_standardizes_raw_rows_as_training_did()
    {
        DataSchema schema = Schema(); // mean (0.1, -2.5e-7), scale (3, 1.0000001)
        var raw = ArrayDataset.WithLabels(new[] { 3.1f, 1f, -2.9f, 0f }, 2, new[] { 0, 2 });
        var row = new float[2];
        schema.Apply(raw).CopyBatch(new[] { 0 }, row, new int[1]);
        Assert.Equal(new[] { (3.1f - 0.1f) / 3f, (1f + 2.5e-7f) / 1.0000001f }, row);

        float[] rows = { 3.1f, 1f, -2.9f, 0f };
        schema.Apply(rows);
        Assert.Equal(new[] { (3.1f - 0.1f) / 3f, (1f + 2.5e-7f) / 1.0000001f, (-2.9f - 0.1f) / 3f, (0f + 2.5e-7f) / 1.0000001f }, rows);

        var plain = new DataSchema { ClassNames = new[] { "a" } };
        Assert.Same(raw, plain.Apply(raw));
    }

    [Fact]
    public void A_schema_that_does_not_fit_the_network_is_refused_when_saving()
    {
        using var network = new BlobsNet(); // 2 inputs, 3 classes
        string path = Path.Combine(_folder, "m.safetensors");
        Assert.Throws<ArgumentException>(() => ModelFile.Save(path, network, null, Schema() with { Standardization = new Standardization(new[] { 0f }, new[] { 1f }) }));
        Assert.Throws<ArgumentException>(() => ModelFile.Save(path, network, null, Schema() with { ClassNames = new[] { "a", "b", "c", "d" } }));
        Assert.False(File.Exists(path));
    }

    [Fact]
    public void Malformed_or_mismatched_schema_metadata_is_one_line_naming_the_problem()
    {
        using var network = new BlobsNet();
        string good = Path.Combine(_folder, "good.safetensors");
        ModelFile.Save(good, network, null, Schema());
        byte[] bytes = File.ReadAllBytes(good);

        string Edited(string from, string to)
        {
            string path = Path.Combine(_folder, Guid.NewGuid().ToString("N") + ".safetensors");
            // Same-length edits inside the JSON header keep the offsets valid.
            Assert.Equal(from.Length, to.Length);
            string text = System.Text.Encoding.Latin1.GetString(bytes);
            Assert.Contains(from, text);
            File.WriteAllBytes(path, System.Text.Encoding.Latin1.GetBytes(text.Replace(from, to)));
            return path;
        }

        var notNumber = Assert.Throws<ModelFormatException>(() => ModelFile.Load(Edited("0.1,", "0.x,"), new BlobsNet()));
        Assert.Contains("input_mean holds \\\"0.x\\\", not a finite number".Replace("\\\"", "\""), notNumber.Message);
        var notArray = Assert.Throws<ModelFormatException>(() => ModelFile.Load(Edited("[\\\"apple\\\"", "{\\\"apple\\\""), new BlobsNet()));
        Assert.Contains("malformed metadata", notArray.Message);
        Assert.DoesNotContain('\n', notArray.Message);
    }
}
