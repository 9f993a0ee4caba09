using System;
using System.Diagnostics;
using System.IO;
using Xunit;

namespace NetGen.Tests.Files;

/// <summary>What a path names, told without opening it: kinds (a FIFO or a device is not a regular file) and identities.</summary>
public sealed class FileFactsTests : IDisposable
{
    private readonly string _folder = Directory.CreateTempSubdirectory("netgen-files-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string PathOf(string name) => Path.Combine(_folder, name);

    private static void Run(string program, params string[] arguments)
    {
        using var process = Process.Start(new ProcessStartInfo(program, arguments) { RedirectStandardError = true })!;
        process.WaitForExit();
        Assert.True(process.ExitCode == 0, $"{program} {string.Join(" ", arguments)}: {process.StandardError.ReadToEnd()}");
    }

    [Fact]
    public void Kinds_of_files_folders_missing_paths_devices_and_named_pipes()
    {
        string file = PathOf("model.safetensors");
        File.WriteAllText(file, "x");
        Assert.Equal(FileKind.Regular, FileFacts.KindOf(file));
        Assert.Equal(FileKind.Directory, FileFacts.KindOf(_folder));
        Assert.Equal(FileKind.Missing, FileFacts.KindOf(PathOf("none")));
        if (!OperatingSystem.IsLinux()) return;
        Assert.Equal(FileKind.CharacterDevice, FileFacts.KindOf("/dev/zero"));
        string fifo = PathOf("pipe");
        Run("mkfifo", fifo);
        Assert.Equal(FileKind.Fifo, FileFacts.KindOf(fifo)); // told without opening it, which would wait for a writer
        Assert.Equal("a named pipe (FIFO)", FileFacts.Describe(FileFacts.KindOf(fifo)));
    }

    [Fact]
    public void Symbolic_links_are_followed_to_what_they_name()
    {
        string target = PathOf("target.json"), link = PathOf("link.json"), dangling = PathOf("dangling.json");
        File.WriteAllText(target, "{}");
        File.CreateSymbolicLink(link, "target.json"); // relative to the link's own folder
        File.CreateSymbolicLink(dangling, PathOf("nothing.json"));
        Assert.Equal(FileKind.Regular, FileFacts.KindOf(link));
        Assert.Equal(FileKind.Missing, FileFacts.KindOf(dangling));
        Assert.True(FileFacts.SameFile(link, target));
        Assert.Equal(Path.GetFullPath(target), FileFacts.Resolve(link));
        Assert.Equal(PathOf("nothing.json"), FileFacts.Resolve(dangling));
        Assert.Equal(Path.GetFullPath(target), FileFacts.Resolve(target));
    }

    [Fact]
    public void Hard_links_are_the_same_file_and_copies_are_not()
    {
        if (!OperatingSystem.IsLinux()) return;
        string original = PathOf("a.st"), hard = PathOf("b.st"), copy = PathOf("c.st");
        File.WriteAllText(original, "x");
        Run("ln", original, hard);
        File.Copy(original, copy);
        Assert.True(FileFacts.SameFile(original, hard));
        Assert.False(FileFacts.SameFile(original, copy));
        Assert.False(FileFacts.SameFile(original, PathOf("missing")));
        Assert.True(FileFacts.SameFile(original, Path.Combine(_folder, ".", "a.st")));
    }

    [Fact]
    public void An_open_handle_keeps_the_identity_of_its_file_after_the_path_is_replaced()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = PathOf("m.st");
        File.WriteAllText(path, "old");
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        FileIdentity before = FileFacts.IdentityOf(stream.SafeFileHandle)!.Value;
        Assert.Equal(FileFacts.IdentityOf(path), before);
        File.WriteAllText(PathOf("m.st.new"), "new");
        File.Move(PathOf("m.st.new"), path, overwrite: true);
        Assert.Equal(before, FileFacts.IdentityOf(stream.SafeFileHandle));
        Assert.NotEqual(before, FileFacts.IdentityOf(path));
    }
}
