using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace NetGen.Mnist;

/// <summary>
/// Writes <c>--metrics</c>: <c>{"network": "mnist", "epochs": [{"epoch": 1, "loss": 0.2965, "seconds": 2.31, "test_accuracy": 96.1}, ...], "test_accuracy": 97.62}</c>,
/// numbers rounded as the console prints them (loss 4 decimals, seconds and percentages 2).
/// </summary>
internal static class MetricsFile
{
    /// <summary>Writes the file completely or not at all: a temporary file in the same folder, renamed over the target.</summary>
    public static void Write(string path, string network, IReadOnlyList<EpochMetrics> epochs, double? testAccuracy)
    {
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, new JsonWriterOptions { Indented = true }))
        {
            json.WriteStartObject();
            json.WriteString("network", network);
            json.WriteStartArray("epochs");
            foreach (EpochMetrics e in epochs)
            {
                json.WriteStartObject();
                json.WriteNumber("epoch", e.Epoch);
                json.WriteNumber("loss", Math.Round(e.Loss, 4));
                json.WriteNumber("seconds", Math.Round(e.Seconds, 2));
                if (e.TestAccuracy is double accuracy) json.WriteNumber("test_accuracy", Math.Round(accuracy, 2));
                else json.WriteNull("test_accuracy");
                json.WriteEndObject();
            }
            json.WriteEndArray();
            if (testAccuracy is double final) json.WriteNumber("test_accuracy", Math.Round(final, 2));
            else json.WriteNull("test_accuracy");
            json.WriteEndObject();
        }
        buffer.WriteByte((byte)'\n');
        WriteAtomically(path, buffer.ToArray());
    }

    /// <summary>Writes <paramref name="bytes"/> to a temporary file beside <paramref name="path"/>, flushes it to disk, then renames it over <paramref name="path"/>.</summary>
    internal static void WriteAtomically(string path, byte[] bytes)
    {
        string full = Path.GetFullPath(path);
        string temporary = Path.Combine(Path.GetDirectoryName(full)!, "." + Path.GetFileName(full) + "." + Guid.NewGuid().ToString("N")[..8] + ".tmp");
        try
        {
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write))
            {
                file.Write(bytes);
                file.Flush(flushToDisk: true);
            }
            File.Move(temporary, full, overwrite: true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
    }
}
