using System;
using System.IO;
using System.Linq;
using NetGen.Tests.Data;
using NetGen.Tests.Files;
using NetGen.Tests.Networks;
using Xunit;
using static NetGen.Tests.ModelFiles.ModelFileTestKit;

namespace NetGen.Tests.ModelFiles;

/// <summary>Saving writes a temporary file in the same folder and renames it over the target, so a failed save leaves the old file.</summary>
public class AtomicSaveTests : IDisposable
{
    private readonly TempFolder _folder = new();

    public void Dispose() => _folder.Dispose();

    /// <summary>Passes writes through until <paramref name="limit"/> bytes, then fails as a full disk or a killed process would.</summary>
    private sealed class FailingStream(Stream inner, long limit) : Stream
    {
        private long _written;

        public long Written => _written;

        public override void Write(byte[] buffer, int offset, int count) => Write(buffer.AsSpan(offset, count));

        public override void Write(ReadOnlySpan<byte> buffer)
        {
            long room = limit - _written;
            if (buffer.Length > room)
            {
                inner.Write(buffer[..(int)Math.Max(0, room)]);
                inner.Flush();
                _written = limit;
                throw new IOException("No space left on device (simulated)");
            }
            inner.Write(buffer);
            _written += buffer.Length;
        }

        public override void Flush() => inner.Flush();
        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }

    [Theory]
    [InlineData(0)]
    [InlineData(5)]
    [InlineData(300)]
    [InlineData(3000)]
    public void A_save_that_fails_midway_leaves_the_previous_file_and_no_temporary_file(long failAfter)
    {
        using ITestNetwork network = NetworkTestKit.Create("odd", seed: 1);
        string path = _folder.File("model.safetensors");
        ModelFile.Save(path, network);
        byte[] before = File.ReadAllBytes(path);
        TrainSomeSteps(network, steps: 2);
        FailingStream? failing = null;

        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(path, network, null, null, s => failing = new FailingStream(s, failAfter)));

        AssertMessage(ex, path, "cannot write: No space left on device (simulated)");
        Assert.Equal(failAfter, failing!.Written);
        Assert.Equal(before, File.ReadAllBytes(path));
        Assert.Equal(new[] { path }, Directory.GetFiles(_folder.Path));
        Checkpoint old = ModelFile.Load(path, NetworkTestKit.Create("odd"));
        Assert.Equal(0, old.Step);
    }

    [Fact]
    public void A_successful_save_replaces_the_file_and_leaves_no_temporary_file()
    {
        using ITestNetwork network = NetworkTestKit.Create("odd", seed: 1);
        string path = _folder.File("model.safetensors");
        File.WriteAllText(path, "an older file");

        ModelFile.Save(path, network);
        TrainSomeSteps(network, steps: 1);
        ModelFile.Save(path, network);

        Assert.Equal(new[] { path }, Directory.GetFiles(_folder.Path));
        Assert.Equal(1, ModelFile.Load(path, NetworkTestKit.Create("odd")).Step);
    }

    [Fact]
    public void Saving_into_a_missing_folder_is_refused_clearly()
    {
        string path = Path.Combine(_folder.Path, "missing", "model.safetensors");
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(path, NetworkTestKit.Create("tiny")));
        AssertMessage(ex, path, "cannot write: the folder", "does not exist");
    }

    [Fact]
    public void Saving_over_a_folder_is_refused_clearly()
    {
        string path = _folder.File("a-folder");
        Directory.CreateDirectory(path);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(path, NetworkTestKit.Create("tiny")));
        AssertMessage(ex, path, "cannot write: it is a folder, not a regular file");
        Assert.Empty(Directory.GetFiles(_folder.Path));
    }

    [Fact]
    public void Saving_through_a_symbolic_link_replaces_its_target_and_keeps_the_link()
    {
        using ITestNetwork network = NetworkTestKit.Create("odd", seed: 1);
        string target = _folder.File("run-1.safetensors"), link = _folder.File("latest.safetensors");
        ModelFile.Save(target, network);
        File.CreateSymbolicLink(link, "run-1.safetensors");
        TrainSomeSteps(network, steps: 2);

        ModelFile.Save(link, network);

        Assert.Equal("run-1.safetensors", new FileInfo(link).LinkTarget);
        Assert.Equal(2, ModelFile.Load(target, NetworkTestKit.Create("odd")).Step);
        Assert.Equal(new[] { link, target }.Order(), Directory.GetFileSystemEntries(_folder.Path).Order());
    }

    [Fact]
    public void Saving_over_a_device_or_a_named_pipe_is_refused_and_leaves_it_as_it_was()
    {
        if (!OperatingSystem.IsLinux()) return;
        string fifo = _folder.File("pipe.safetensors"), device = _folder.File("full.safetensors");
        SpecialFiles.Fifo(fifo);
        var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(fifo, NetworkTestKit.Create("tiny")));
        AssertMessage(ex, fifo, "cannot write: it is a named pipe (FIFO), not a regular file");
        Assert.Equal(FileKind.Fifo, FileFacts.KindOf(fifo));
        if (SpecialFiles.DevFullCopy(device) is null)
        {
            ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(device, NetworkTestKit.Create("tiny")));
            AssertMessage(ex, device, "cannot write: it is a character device, not a regular file");
            Assert.Equal(FileKind.CharacterDevice, FileFacts.KindOf(device));
        }
        Assert.DoesNotContain(Directory.GetFileSystemEntries(_folder.Path), n => n.EndsWith(".tmp", StringComparison.Ordinal));
    }

    [Fact]
    public void Saving_into_a_read_only_folder_is_refused_clearly()
    {
        if (OperatingSystem.IsWindows() || Environment.UserName == "root") return; // root writes anywhere; Windows has no chmod
        string folder = _folder.File("read-only");
        Directory.CreateDirectory(folder);
        File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserExecute);
        try
        {
            string path = Path.Combine(folder, "model.safetensors");
            var ex = Assert.Throws<ModelFormatException>(() => ModelFile.Save(path, NetworkTestKit.Create("tiny")));
            AssertMessage(ex, path, "cannot write: ");
            Assert.Empty(Directory.GetFiles(folder));
        }
        finally
        {
            File.SetUnixFileMode(folder, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        }
    }
}
