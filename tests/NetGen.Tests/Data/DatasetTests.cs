using System;
using System.Linq;
using NetGen.Tests.Training;
using Xunit;

namespace NetGen.Tests.Data;

/// <summary>ArrayDataset, the split and standardization views.</summary>
public class DatasetTests
{
    [Fact]
    public void An_array_dataset_gathers_rows_and_labels_or_targets()
    {
        var labelled = ArrayDataset.WithLabels(new float[] { 1, 2, 3, 4, 5, 6 }, 2, new[] { 2, 0, 1 });
        Assert.Equal((3, 2, 3, 0), (labelled.Count, labelled.InputSize, labelled.ClassCount, labelled.TargetSize));
        var inputs = new float[4];
        var labels = new int[2];
        labelled.CopyBatch(new[] { 2, 0 }, inputs, labels);
        Assert.Equal(new float[] { 5, 6, 1, 2 }, inputs);
        Assert.Equal(new[] { 1, 2 }, labels);
        Assert.Throws<InvalidOperationException>(() => labelled.CopyBatch(new[] { 0 }, inputs, new float[1]));

        var regression = ArrayDataset.FromRows(new[] { new float[] { 1, 2 }, new float[] { 3, 4 } }, new[] { new float[] { 10, 11 }, new float[] { 12, 13 } });
        Assert.Equal((2, 2, 0, 2), (regression.Count, regression.InputSize, regression.ClassCount, regression.TargetSize));
        var targets = new float[2];
        regression.CopyBatch(new[] { 1 }, inputs, targets);
        Assert.Equal(new float[] { 3, 4 }, inputs.Take(2));
        Assert.Equal(new float[] { 12, 13 }, targets);
        Assert.Throws<InvalidOperationException>(() => regression.Label(0));
    }

    [Fact]
    public void Bad_arrays_are_refused()
    {
        Assert.Throws<ArgumentException>(() => ArrayDataset.WithLabels(new float[5], 2, new[] { 0, 1 }));
        Assert.Throws<ArgumentException>(() => ArrayDataset.WithLabels(new float[4], 2, new[] { 0 }));
        Assert.Throws<ArgumentException>(() => ArrayDataset.WithLabels(new float[4], 2, new[] { 0, 3 }, classCount: 3));
        Assert.Throws<ArgumentException>(() => ArrayDataset.WithLabels(new float[4], 2, new[] { 0, -1 }));
        Assert.Throws<ArgumentException>(() => ArrayDataset.WithTargets(new float[4], 2, new float[3], 2));
        Assert.Throws<ArgumentException>(() => ArrayDataset.FromRows(new[] { new float[2], new float[3] }, new[] { 0, 1 }));
        Assert.Throws<ArgumentOutOfRangeException>(() => ArrayDataset.WithLabels(new float[4], 0, new[] { 0 }));
    }

    [Fact]
    public void A_stratified_split_takes_each_class_in_proportion_and_the_same_rows_for_a_seed()
    {
        // 100 rows of class 0, 50 of class 1, 10 of class 2.
        int[] labels = Enumerable.Repeat(0, 100).Concat(Enumerable.Repeat(1, 50)).Concat(Enumerable.Repeat(2, 10)).ToArray();
        var data = ArrayDataset.WithLabels(Enumerable.Range(0, 160).Select(i => (float)i).ToArray(), 1, labels);
        var (train, validation) = Datasets.Split(data, 0.2, seed: 1);

        int[] Rows(IDataset d) => Enumerable.Range(0, d.Count).Select(i => { var x = new float[1]; d.CopyBatch(new[] { i }, x, new int[1]); return (int)x[0]; }).ToArray();
        int[] held = Rows(validation), kept = Rows(train);
        Assert.Equal(new[] { 20, 10, 2 }, Enumerable.Range(0, 3).Select(c => held.Count(r => labels[r] == c)));
        Assert.Equal(160, held.Concat(kept).Distinct().Count());
        Assert.Equal(held.OrderBy(r => r), held); // each side in the original order
        Assert.Equal(held, Rows(Datasets.Split(data, 0.2, seed: 1).Validation));
        Assert.NotEqual(held, Rows(Datasets.Split(data, 0.2, seed: 2).Validation));
        Assert.Equal(labels[held[0]], validation.Label(0));

        var regression = FitData.Regression(50, seed: 1);
        Assert.Equal(10, Datasets.Split(regression, 0.2, seed: 3).Validation.Count);
        Assert.Throws<ArgumentOutOfRangeException>(() => Datasets.Split(data, 1.0, seed: 1));
    }

    [Fact]
    public void Standardization_uses_the_mean_and_population_deviation_and_leaves_constant_inputs_unscaled()
    {
        float[] inputs = { 1, 5, 10, 2, 5, 20, 3, 5, 30, 6, 5, 40 }; // 4 rows of 3; the middle input never varies
        var data = ArrayDataset.WithLabels(inputs, 3, new[] { 0, 1, 0, 1 });
        Standardization s = Standardization.Fit(data);

        double[] column0 = { 1, 2, 3, 6 }, column2 = { 10, 20, 30, 40 };
        double Deviation(double[] c) => Math.Sqrt(c.Select(v => (v - c.Average()) * (v - c.Average())).Sum() / c.Length);
        Assert.Equal(new[] { 3f, 5f, 25f }, s.Mean);
        Assert.Equal((float)Deviation(column0), s.Scale[0]);
        Assert.Equal(1f, s.Scale[1]);
        Assert.Equal((float)Deviation(column2), s.Scale[2]);

        var row = new float[3];
        Datasets.Standardized(data, s).CopyBatch(new[] { 3 }, row, new int[1]);
        Assert.Equal((6 - 3) / Deviation(column0), row[0], 1e-6);
        Assert.Equal(0f, row[1]);
        Assert.Equal((40 - 25) / Deviation(column2), row[2], 1e-6);
        Assert.Throws<ArgumentException>(() => Datasets.Standardized(FitData.Blobs(2, 1), s));
    }
}
