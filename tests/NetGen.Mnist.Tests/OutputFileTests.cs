using System;
using System.IO;
using System.IO.Pipes;
using System.Linq;
using System.Text.Json;
using NetGen.Tests.Files;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// What the program writes (--save, --metrics, --plot) is settled before anything else: two outputs, or an output and the
/// model file read, that are one file are refused (but --resume X --save X); an output that is not a regular file is
/// refused; a folder that cannot be written is named before training; symbolic links are written through; a save sweeps
/// the temporaries killed saves of its file left.
/// </summary>
public sealed class OutputFileTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunResult Run(params string[] args) => App.Run(output, args);

    /// <summary>
    /// A refusal before anything else: exit 1, exactly <paramref name="error"/>, nothing printed or trained. The data folder
    /// given does not exist, so a refusal that came after loading data would name it instead.
    /// </summary>
    private void AssertRefused(string error, params string[] args)
    {
        RunResult run = Run([.. args, "--data", _temp.File("no-data-here")]);
        Assert.Equal(ExitCodes.BadInput, run.ExitCode);
        Assert.Equal("error: " + error, Assert.Single(run.ErrorLines));
        Assert.Equal("", run.Out);
    }

    [Theory]
    [InlineData("--save", "--metrics")]
    [InlineData("--save", "--plot")]
    [InlineData("--metrics", "--plot")]
    public void Two_outputs_naming_one_file_are_refused(string first, string second)
    {
        string path = _temp.File("x.st");
        AssertRefused($"{first} {path} and {second} {path} name the same file, which each would overwrite: give each output a file of its own.",
            "train", "--epochs", "1", first, path, second, path);
        Assert.False(File.Exists(path));

        // Through other spellings of a file not made yet: a path with .. and a symbolic link to its folder.
        string folder = _temp.Folder("out"), viaLink = _temp.File("out-link");
        Directory.CreateSymbolicLink(viaLink, folder);
        string a = Path.Combine(folder, "m"), b = Path.Combine(folder, "..", "out", "m"), c = Path.Combine(viaLink, "m");
        AssertRefused($"{first} {a} and {second} {b} name the same file, which each would overwrite: give each output a file of its own.",
            "train", first, a, second, b);
        AssertRefused($"{first} {a} and {second} {c} name the same file, which each would overwrite: give each output a file of its own.",
            "train", first, a, second, c);
    }

    [Fact]
    public void Existing_files_are_the_same_through_symbolic_and_hard_links()
    {
        string target = _temp.File("model.st"), symbolic = _temp.File("latest.st"), hard = _temp.File("hard.st");
        File.WriteAllText(target, "a model");
        File.CreateSymbolicLink(symbolic, target);
        SpecialFiles.HardLink(target, hard);

        AssertRefused($"--save {symbolic} and --metrics {hard} name the same file, which each would overwrite: give each output a file of its own.",
            "train", "--save", symbolic, "--metrics", hard);
        AssertRefused($"--metrics {hard} and --resume {target} name the same file: --metrics would overwrite the model file it reads; give --metrics a file of its own.",
            "train", "--resume", target, "--metrics", hard);
        AssertRefused($"--plot {symbolic} and --resume {hard} name the same file: --plot would overwrite the model file it reads; give --plot a file of its own.",
            "train", "--resume", hard, "--save", _temp.File("other.st"), "--plot", symbolic);
        AssertRefused($"--plot {hard} and --load {symbolic} name the same file: --plot would overwrite the model file it reads; give --plot a file of its own.",
            "eval", "--load", symbolic, "--plot", hard);
        Assert.Equal("a model", File.ReadAllText(target));
    }

    [Fact]
    public void Resume_and_save_may_name_one_file_through_a_link_and_the_link_is_kept()
    {
        string folder = _temp.Folder("runs"), target = Path.Combine(folder, "run-1.st"), link = _temp.File("latest.st");
        File.CreateSymbolicLink(link, target);
        string metricsTarget = Path.Combine(folder, "m.json"), metricsLink = _temp.File("m.json");
        string plotTarget = Path.Combine(folder, "c.png"), plotLink = _temp.File("c.png");
        File.CreateSymbolicLink(metricsLink, metricsTarget);
        File.CreateSymbolicLink(plotLink, plotTarget);

        RunResult first = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", link, "--metrics", metricsLink, "--plot", plotLink);
        Assert.True(first.ExitCode == 0, first.ToString());
        RunResult second = Run("train", "--data", SmallMnist.Directory, "--epochs", "2", "--resume", target, "--save", link);
        Assert.True(second.ExitCode == 0, second.ToString());

        Assert.Equal(target, new FileInfo(link).LinkTarget);
        Assert.Equal(metricsTarget, new FileInfo(metricsLink).LinkTarget);
        Assert.Equal(plotTarget, new FileInfo(plotLink).LinkTarget);
        Assert.Equal(3, ModelFile.ReadMetadata(target).Position!.Epoch); // the second run's save went to the target
        using (JsonDocument.Parse(File.ReadAllText(metricsTarget))) { }
        Assert.Equal((byte)0x89, File.ReadAllBytes(plotTarget)[0]);
        Assert.Equal(["c.png", "m.json", "run-1.st"], Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order());
    }

    [Theory]
    [InlineData("--save", "fifo")]
    [InlineData("--metrics", "fifo")]
    [InlineData("--plot", "device")]
    [InlineData("--save", "device")]
    [InlineData("--metrics", "link to a pipe")]
    [InlineData("--plot", "link to a pipe")]
    public void An_output_that_is_not_a_regular_file_is_refused_with_nothing_written(string option, string kind)
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = _temp.File("out");
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        string described = "a named pipe (FIFO)";
        if (kind == "fifo") SpecialFiles.Fifo(path);
        else if (kind == "device")
        {
            if (SpecialFiles.DevFullCopy(path) is { } reason)
            {
                output.WriteLine(reason);
                return;
            }
            described = "a character device";
        }
        else File.CreateSymbolicLink(path, $"/proc/{Environment.ProcessId}/fd/{pipe.SafePipeHandle.DangerousGetHandle()}"); // as /proc/self/fd/1 to a pipe
        FileKind before = FileFacts.KindOf(path);

        AssertRefused($"{path}: is {described}, not a regular file; {option} writes only to a regular file or a new one.", "train", option, path);
        if (option == "--plot")
        {
            string model = _temp.File("m.st");
            File.WriteAllText(model, "x");
            AssertRefused($"{path}: is {described}, not a regular file; --plot writes only to a regular file or a new one.", "eval", "--load", model, "--plot", path);
        }

        Assert.Equal(before, FileFacts.KindOf(path));
        Assert.Equal(kind == "link to a pipe", new FileInfo(path).LinkTarget is not null);
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_temp.Path), n => n.EndsWith(".tmp", StringComparison.Ordinal) || n.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public void An_output_in_a_folder_that_cannot_be_written_is_named_with_its_option_before_training()
    {
        if (!OperatingSystem.IsLinux()) return;
        string folder = _temp.Folder("ro");
        string model = Path.Combine(folder, "model.st");
        RunResult saved = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", model);
        Assert.True(saved.ExitCode == 0, saved.ToString());
        using IDisposable? readOnly = SpecialFiles.ReadOnly(folder, out string? reason);
        if (readOnly is null)
        {
            output.WriteLine(reason);
            return;
        }

        foreach (string option in new[] { "--metrics", "--plot", "--save" })
        {
            string path = Path.Combine(folder, "m.json");
            RunResult run = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", option, path);
            Assert.Equal(ExitCodes.BadInput, run.ExitCode);
            Assert.Equal($"error: {path}: cannot write: no permission to write in the folder {folder} ({option}).", Assert.Single(run.ErrorLines));
            Assert.Equal("", run.Out); // refused before training, not after an epoch
        }

        // A checkpoint in a read-only folder is still resumed from (it is only read).
        RunResult resumed = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--resume", model);
        Assert.True(resumed.ExitCode == 0, resumed.ToString());
        Assert.Contains("nothing to train; evaluating it.", resumed.Out);
    }

    [Fact]
    public void A_save_removes_the_temporaries_killed_saves_of_its_file_left_and_no_other_file()
    {
        string model = _temp.File("model.st");
        string[] stale = [".model.st.0123456789ab.tmp", ".model.st.00ff00ff00ff.tmp", ".metrics.json.89abcdef.tmp"];
        string[] others = [".model.st.backup.0123456789ab.tmp", ".other.st.0123456789ab.tmp", "model.st.0123456789ab.tmp", ".model.st.0123456789ab.tmp.keep"];
        foreach (string name in stale.Concat(others)) File.WriteAllText(_temp.File(name), "left by kill -9");

        RunResult run = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", model, "--metrics", _temp.File("metrics.json"));

        Assert.True(run.ExitCode == 0, run.ToString());
        Assert.Equal(others.Append("metrics.json").Append("model.st").Order(StringComparer.Ordinal),
            Directory.GetFileSystemEntries(_temp.Path).Select(Path.GetFileName).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_full_disk_leaves_the_old_plot_and_metrics_and_no_temporary_file()
    {
        if (!OperatingSystem.IsLinux()) return;
        // A small file system of our own, filled up, in a mount namespace of our own (nothing outside sees it): two runs
        // of the program write a chart and metrics into it, then the script shows what is left.
        string disk = _temp.Folder("disk");
        string plot = Path.Combine(disk, "curves.png"), metrics = Path.Combine(disk, "m.json");
        string host = Environment.GetEnvironmentVariable("DOTNET_HOST_PATH") ?? "dotnet";
        string program = Path.Combine(AppContext.BaseDirectory, "netgen-mnist.dll");
        string run = $"CI=true '{host}' '{program}' train --data '{SmallMnist.Directory}' --epochs 1";
        string script = $"""
            mount -t tmpfs -o size=512k tmpfs '{disk}' || exit 90
            printf 'old chart' > '{plot}'; printf 'old metrics' > '{metrics}'
            dd if=/dev/zero of='{disk}/filler' bs=4k 2>/dev/null
            {run} --plot '{plot}'; echo "plot exit $?"
            {run} --metrics '{metrics}'; echo "metrics exit $?"
            ls -A '{disk}'; cat '{plot}'; echo; cat '{metrics}'; echo
            """;
        var (code, lines, errors) = SpecialFiles.RunScript("unshare", "--mount", "sh", "-c", script);
        if (code == 90 || code == -1)
        {
            output.WriteLine($"no tmpfs of our own can be mounted here ({errors}); the full disk case is skipped");
            return;
        }
        output.WriteLine(string.Join("\n", lines) + "\n" + errors);

        Assert.Contains("plot exit 2", lines);
        Assert.Contains("metrics exit 2", lines);
        Assert.Contains($"error: {plot}: cannot write: No space left on device", errors);
        Assert.Contains($"error: {metrics}: cannot write: No space left on device", errors);
        int listing = Array.IndexOf(lines, "metrics exit 2") + 1;
        Assert.Equal(["curves.png", "filler", "m.json", "old chart", "old metrics"], lines[listing..].Order(StringComparer.Ordinal));
    }
}
