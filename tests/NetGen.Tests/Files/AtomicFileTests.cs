using System;
using System.IO;
using System.IO.Pipes;
using System.Linq;
using System.Text;
using NetGen.Tests.Data;
using Xunit;
using Xunit.Abstractions;

namespace NetGen.Tests.Files;

/// <summary>
/// AtomicFile: a file is replaced completely or not at all, through symbolic links to their targets; what is not a regular
/// file is refused with nothing written; writes hold the file's lock and sweep the temporaries killed writes left.
/// </summary>
public sealed class AtomicFileTests(ITestOutputHelper output) : IDisposable
{
    private readonly TempFolder _temp = new();

    public void Dispose() => _temp.Dispose();

    private string PathOf(string name) => _temp.File(name);

    private static void WriteText(string path, string text) => AtomicFile.Write(path, stream => stream.Write(Encoding.UTF8.GetBytes(text)));

    /// <summary>Every file of a folder, hidden ones too, by name.</summary>
    private static string[] Names(string folder) => Directory.GetFileSystemEntries(folder).Select(Path.GetFileName).Order().ToArray()!;

    [Fact]
    public void Writes_a_new_file_and_replaces_an_old_one_leaving_nothing_else()
    {
        string path = PathOf("metrics.json");
        WriteText(path, "first");
        WriteText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["metrics.json"], Names(_temp.Path)); // no temporary file, no lock file
    }

    [Fact]
    public void A_write_that_fails_midway_leaves_the_old_file_and_names_the_file_not_the_temporary()
    {
        string path = PathOf("curves.png");
        WriteText(path, "old");
        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, stream =>
        {
            stream.Write("new, partly"u8);
            throw new IOException($"No space left on device : '{((FileStream)stream).Name}'");
        }));
        Assert.Equal($"{path}: cannot write: No space left on device", e.Message);
        Assert.Equal("old", File.ReadAllText(path));
        Assert.Equal(["curves.png"], Names(_temp.Path));
    }

    [Fact]
    public void A_symbolic_link_is_written_through_to_its_target_in_the_targets_folder()
    {
        string linkFolder = Directory.CreateDirectory(PathOf("links")).FullName;
        string targetFolder = Directory.CreateDirectory(PathOf("models")).FullName;
        string target = Path.Combine(targetFolder, "model.st");
        string link = Path.Combine(linkFolder, "latest.st");
        File.WriteAllText(target, "old");
        File.CreateSymbolicLink(link, "../models/model.st");
        string[] duringWrite = [];

        AtomicFile.Write(link, stream =>
        {
            stream.Write("new"u8);
            duringWrite = Names(targetFolder);
            Assert.Equal(["latest.st"], Names(linkFolder)); // nothing beside the link
        });

        Assert.Equal("../models/model.st", new FileInfo(link).LinkTarget); // still the same link
        Assert.Equal("new", File.ReadAllText(target));
        Assert.Contains(duringWrite, n => n.StartsWith(".model.st.", StringComparison.Ordinal) && n.EndsWith(".tmp", StringComparison.Ordinal));
        Assert.Contains(".model.st.lock", duringWrite);
        Assert.Equal(["model.st"], Names(targetFolder));
    }

    [Fact]
    public void A_dangling_symbolic_link_gets_its_target_created()
    {
        string link = PathOf("link.json");
        File.CreateSymbolicLink(link, "made.json");
        WriteText(link, "{}");
        Assert.Equal("made.json", new FileInfo(link).LinkTarget);
        Assert.Equal("{}", File.ReadAllText(PathOf("made.json")));
    }

    [Theory]
    [InlineData("folder")]
    [InlineData("fifo")]
    [InlineData("device")]
    [InlineData("link to a pipe")]
    [InlineData("link to a link to a pipe")]
    public void What_is_not_a_regular_file_is_refused_and_nothing_is_written(string kind)
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = PathOf("out");
        using var pipe = new AnonymousPipeServerStream(PipeDirection.Out);
        string expected;
        switch (kind)
        {
            case "folder":
                Directory.CreateDirectory(path);
                expected = "a folder";
                break;
            case "fifo":
                SpecialFiles.Fifo(path);
                expected = "a named pipe (FIFO)";
                break;
            case "device":
                if (SpecialFiles.DevFullCopy(path) is { } reason)
                {
                    output.WriteLine(reason);
                    return;
                }
                expected = "a character device";
                break;
            default:
                // As a link to /proc/self/fd/1 when standard output is a pipe: the kernel's own link, to a pipe.
                string fd = $"/proc/{Environment.ProcessId}/fd/{pipe.SafePipeHandle.DangerousGetHandle()}";
                if (kind == "link to a pipe") File.CreateSymbolicLink(path, fd);
                else
                {
                    File.CreateSymbolicLink(PathOf("middle"), fd);
                    File.CreateSymbolicLink(path, "middle");
                }
                expected = "a named pipe (FIFO)";
                break;
        }
        FileKind before = FileFacts.KindOf(path);
        bool called = false;

        var e = Assert.Throws<IOException>(() => AtomicFile.Write(path, _ => called = true));

        Assert.Equal($"{path}: cannot write: it is {expected}, not a regular file", e.Message);
        Assert.False(called);
        Assert.Equal(before, FileFacts.KindOf(path));
        Assert.DoesNotContain(Names(_temp.Path), n => n.EndsWith(".tmp", StringComparison.Ordinal) || n.EndsWith(".lock", StringComparison.Ordinal));
    }

    [Fact]
    public void A_write_removes_the_temporaries_killed_writes_of_that_file_left_and_no_other_file()
    {
        string path = PathOf("model.st");
        string[] stale = [".model.st.0123456789ab.tmp", ".model.st.deadbeef.tmp"];
        string[] others =
        [
            ".other.st.0123456789ab.tmp", // another file's
            ".model.st.backup.0123456789ab.tmp", // model.st.backup's
            ".model.st.0123456789AB.tmp", // not our digits
            ".model.st.0123456.tmp", // too short
            ".model.st.0123456789ab.tmp.keep",
            "model.st.0123456789ab.tmp",
            ".model.st.lock.tmp",
        ];
        foreach (string name in stale.Concat(others)) File.WriteAllText(PathOf(name), "x");

        WriteText(path, "new");

        Assert.Equal(others.Append("model.st").Order(StringComparer.Ordinal), Names(_temp.Path).Order(StringComparer.Ordinal));
    }

    [Fact]
    public void A_write_is_refused_while_another_process_holds_the_files_lock_and_allowed_once_it_is_killed()
    {
        if (!OperatingSystem.IsLinux()) return;
        string path = PathOf("model.st");
        WriteText(path, "first");
        File.WriteAllText(PathOf(".model.st.0123456789ab.tmp"), "being written by the other process");
        using var holder = SpecialFiles.HoldLock(PathOf(".model.st.lock"));
        if (holder is null)
        {
            output.WriteLine("the flock tool is missing; skipped");
            return;
        }

        var e = Assert.Throws<IOException>(() => WriteText(path, "second"));
        Assert.Equal($"{path}: cannot write: another process is writing it (it holds the lock file {PathOf(".model.st.lock")})", e.Message);
        Assert.Equal("first", File.ReadAllText(path));
        Assert.True(File.Exists(PathOf(".model.st.0123456789ab.tmp")), "the holder's temporary file is left alone");

        SpecialFiles.Kill(holder); // as kill -9: its lock goes with it, its lock file stays
        Assert.True(File.Exists(PathOf(".model.st.lock")));
        WriteText(path, "second");
        Assert.Equal("second", File.ReadAllText(path));
        Assert.Equal(["model.st"], Names(_temp.Path));
    }

    [Fact]
    public void A_write_in_a_read_only_folder_names_the_folder_not_a_hidden_file()
    {
        if (!OperatingSystem.IsLinux()) return;
        string folder = Directory.CreateDirectory(PathOf("ro")).FullName;
        string path = Path.Combine(folder, "m.json");
        using (IDisposable? readOnly = SpecialFiles.ReadOnly(folder, out string? reason))
        {
            if (readOnly is null)
            {
                output.WriteLine(reason);
                return;
            }
            var e = Assert.Throws<IOException>(() => WriteText(path, "{}"));
            Assert.StartsWith($"{path}: cannot write: ", e.Message);
            Assert.Contains(folder, e.Message);
            Assert.DoesNotContain(".m.json", e.Message);
        }
        Assert.Empty(Names(folder));
    }
}
