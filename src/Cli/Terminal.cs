using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.Globalization;
using System.IO;
using System.Text;
using Spectre.Console;

namespace NetGen.Cli;

/// <summary>
/// What the program shows: live progress bars and Spectre tables on an interactive console, or plain lines
/// (one per epoch, <c>Epoch 1/5  loss 0.2965  2.31 s</c>) and plain-text tables when output is redirected or CI is set.
/// </summary>
internal sealed class Terminal(TextWriter output, IAnsiConsole? live)
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    public bool IsLive => live is not null;

    /// <summary>Writes one line of plain text (never markup).</summary>
    public void Line(string text = "")
    {
        if (live is not null) live.WriteLine(text);
        else output.WriteLine(text);
    }

    /// <summary>Runs <paramref name="train"/> with progress shown per epoch.</summary>
    /// <param name="batchSize">Images per step, for images/s.</param>
    /// <param name="train">The training run, which reports to the progress it is given.</param>
    public T Train<T>(int batchSize, Func<ITrainingProgress, T> train)
    {
        if (live is null) return train(new PlainProgress(this));
        return live.Progress()
            .AutoClear(false)
            .HideCompleted(false)
            .Columns(
                new TaskDescriptionColumn { Alignment = Justify.Left },
                new ProgressBarColumn(),
                new PercentageColumn(),
                new ElapsedTimeColumn(),
                new RemainingTimeColumn())
            .Start(context => train(new LiveProgress(context, batchSize)));
    }

    /// <summary>The per-epoch table shown after training.</summary>
    public void EpochTable(IReadOnlyList<EpochMetrics> epochs)
    {
        if (epochs.Count == 0) return;
        if (live is not null)
        {
            var table = new Table().Border(TableBorder.Rounded).Title("Training");
            table.AddColumn(new TableColumn("Epoch").RightAligned());
            table.AddColumn(new TableColumn("Loss").RightAligned());
            table.AddColumn(new TableColumn("Train time").RightAligned());
            table.AddColumn(new TableColumn("Test accuracy").RightAligned());
            foreach (EpochMetrics e in epochs)
            {
                table.AddRow(e.Epoch.ToString(Invariant), e.Loss.ToString("F4", Invariant), Seconds(e.Seconds), Percent(e.TestAccuracy));
            }
            live.Write(table);
            return;
        }
        var text = new StringBuilder();
        text.AppendLine("Epoch  Loss    Train time  Test accuracy");
        foreach (EpochMetrics e in epochs)
        {
            text.AppendLine(string.Create(Invariant,
                $"{e.Epoch,5}  {e.Loss,6:F4}  {Seconds(e.Seconds),10}  {Percent(e.TestAccuracy),13}"));
        }
        output.Write(text.ToString());
    }

    /// <summary>The confusion matrix and per-class precision and recall of an evaluation.</summary>
    public void Evaluation(EvaluationResult result)
    {
        int[,] confusion = result.ConfusionMatrix;
        int classes = confusion.GetLength(0);
        if (live is not null)
        {
            var matrix = new Table().Border(TableBorder.Rounded).Title("Confusion matrix (rows: label, columns: predicted)");
            matrix.AddColumn(new TableColumn("").RightAligned());
            for (int p = 0; p < classes; p++) matrix.AddColumn(new TableColumn(p.ToString(Invariant)).RightAligned());
            matrix.AddColumn(new TableColumn("Precision").RightAligned());
            matrix.AddColumn(new TableColumn("Recall").RightAligned());
            for (int l = 0; l < classes; l++)
            {
                var row = new List<string> { $"[bold]{l}[/]" };
                for (int p = 0; p < classes; p++)
                {
                    int n = confusion[l, p];
                    string cell = n.ToString(Invariant);
                    row.Add(l == p ? $"[green]{cell}[/]" : n == 0 ? $"[grey]{cell}[/]" : $"[red]{cell}[/]");
                }
                row.Add(Percent(result.Precision(l)));
                row.Add(Percent(result.Recall(l)));
                matrix.AddRow(row.ToArray());
            }
            live.Write(matrix);
            return;
        }
        int width = Math.Max(5, result.Total.ToString(Invariant).Length + 1);
        var text = new StringBuilder();
        text.AppendLine("Confusion matrix (rows: label, columns: predicted):");
        text.Append("label");
        for (int p = 0; p < classes; p++) text.Append(p.ToString(Invariant).PadLeft(width));
        text.AppendLine();
        for (int l = 0; l < classes; l++)
        {
            text.Append(l.ToString(Invariant).PadLeft(5));
            for (int p = 0; p < classes; p++) text.Append(confusion[l, p].ToString(Invariant).PadLeft(width));
            text.AppendLine();
        }
        text.AppendLine();
        text.AppendLine("Class  Precision  Recall");
        for (int l = 0; l < classes; l++)
            text.AppendLine(string.Create(Invariant, $"{l,5}  {Percent(result.Precision(l)),9}  {Percent(result.Recall(l)),6}"));
        output.Write(text.ToString());
    }

    public static string Seconds(double seconds) => string.Create(Invariant, $"{seconds:F2} s");

    public static string Percent(double? percent) => percent is double p ? string.Create(Invariant, $"{p:F2}%") : "-";

    /// <summary>The epoch line of plain mode, exactly as the program has always printed it.</summary>
    public static string EpochLine(EpochResult epoch) =>
        string.Create(Invariant, $"Epoch {epoch.Epoch}/{epoch.Epochs}  loss {epoch.Loss:F4}  {epoch.Elapsed.TotalSeconds:F2} s");

    /// <summary>Plain mode: one line per finished epoch.</summary>
    private sealed class PlainProgress(Terminal terminal) : ITrainingProgress
    {
        public void Step(in StepProgress progress)
        {
        }

        public void EpochDone(EpochResult epoch, EvaluationResult test) => terminal.Line(EpochLine(epoch));
    }

    /// <summary>Live mode: one progress bar per epoch with the running loss and images/s, then its time and test accuracy.</summary>
    private sealed class LiveProgress(ProgressContext context, int batchSize) : ITrainingProgress
    {
        private static readonly long RefreshTicks = Stopwatch.Frequency / 20;
        private ProgressTask? _task;
        private int _epoch;
        private int _firstStep;
        private long _epochStart;
        private long _lastRefresh;

        public void Step(in StepProgress p)
        {
            long now = Stopwatch.GetTimestamp();
            if (_task is null || p.Epoch != _epoch)
            {
                _epoch = p.Epoch;
                _firstStep = p.Step;
                _epochStart = now; // the first step's own time is left out of images/s
                _task = context.AddTask(Describe(p.Epoch, p.Epochs, "starting"), autoStart: true, maxValue: p.Steps);
                _task.Value = p.Step;
                _lastRefresh = now;
                return;
            }
            if (p.Step != p.Steps && now - _lastRefresh < RefreshTicks) return;
            _lastRefresh = now;
            double seconds = (now - _epochStart) / (double)Stopwatch.Frequency;
            double imagesPerSecond = seconds > 0 ? (p.Step - _firstStep) * (double)batchSize / seconds : 0;
            _task.Value = p.Step;
            _task.Description = Describe(p.Epoch, p.Epochs, string.Create(Invariant, $"loss {p.MeanLoss:F4}  {imagesPerSecond,7:N0} img/s"));
        }

        public void EpochDone(EpochResult epoch, EvaluationResult test)
        {
            if (_task is null) return;
            _task.Value = _task.MaxValue;
            _task.Description = Describe(epoch.Epoch, epoch.Epochs,
                string.Create(Invariant, $"loss {epoch.Loss:F4}  {epoch.Elapsed.TotalSeconds:F2} s  test {test.Accuracy:F2}%"));
            _task.StopTask();
        }

        private static string Describe(int epoch, int epochs, string detail) =>
            Markup.Escape(string.Create(Invariant, $"Epoch {epoch}/{epochs}  {detail}"));
    }
}
