using System;
using System.Diagnostics;
using System.IO;
using Xunit;
using Xunit.Abstractions;

using NetGen.Cli;

namespace NetGen.Mnist.Tests;

/// <summary>
/// A run claims its outputs and its --resume file before anything else: a second run is refused while the first holds
/// one, naming the file; the claim dies with its process, so a lock file left by a killed run never blocks.
/// </summary>
public sealed class OutputLockTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private RunResult Run(params string[] args) => App.Run(output, args);

    private string InUse(string path, string option) =>
        $"error: {path}: in use by another run, which holds its lock file {Path.Combine(_temp.Path, "." + Path.GetFileName(path) + ".lock")}; wait for that run to end, or give {option} another file.";

    [Theory]
    [InlineData("--save")]
    [InlineData("--metrics")]
    [InlineData("--plot")]
    [InlineData("--resume")]
    public void A_file_another_run_holds_is_refused_before_anything_else_until_released(string option)
    {
        string path = _temp.File("model.st");
        File.WriteAllText(path, "the other run's");
        string missingData = _temp.File("no-data-here");
        Assert.True(FileLock.TryAcquire(path, out FileLock? other)); // as the other run does, in this process

        RunResult refused = Run("train", option, path, "--data", missingData);
        other.Dispose();
        RunResult after = Run("train", option, path, "--data", missingData);

        Assert.Equal(ExitCodes.BadInput, refused.ExitCode);
        Assert.Equal(InUse(path, option), Assert.Single(refused.ErrorLines));
        Assert.Equal("the other run's", File.ReadAllText(path));
        // Released: the run gets past its files to the (missing) data.
        Assert.Equal(ExitCodes.BadInput, after.ExitCode);
        Assert.Contains("no-data-here", Assert.Single(after.ErrorLines));
        Assert.False(File.Exists(_temp.File(".model.st.lock")));
    }

    [Fact]
    public void A_second_program_saving_to_the_same_file_is_refused_and_its_lock_dies_with_it()
    {
        if (!OperatingSystem.IsLinux()) return;
        string model = _temp.File("model.st");
        using Process first = ProgramProcess.Start("train", "--data", SmallMnist.Directory, "--epochs", "1000", "--save", model);
        try
        {
            string? line = first.StandardOutput.ReadLine(); // printed once its files are claimed
            Assert.True(line?.StartsWith("Training \"mnist\"", StringComparison.Ordinal), $"the first run printed {line ?? "nothing"}");

            RunResult second = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", model);
            Assert.Equal(ExitCodes.BadInput, second.ExitCode);
            Assert.Equal(InUse(model, "--save"), Assert.Single(second.ErrorLines));
            Assert.Equal("", second.Out);
        }
        finally
        {
            NetGen.Tests.Files.SpecialFiles.Kill(first); // kill -9: no chance to delete its lock file
        }
        Assert.True(File.Exists(_temp.File(".model.st.lock")), "a killed run leaves its lock file");

        RunResult third = Run("train", "--data", SmallMnist.Directory, "--epochs", "1", "--save", model);
        Assert.True(third.ExitCode == 0, third.ToString());
        Assert.Equal(2, ModelFile.ReadMetadata(model).Position!.Epoch);
        Assert.False(File.Exists(_temp.File(".model.st.lock")));
    }
}
