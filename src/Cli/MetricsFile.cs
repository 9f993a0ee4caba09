using System;
using System.Collections.Generic;
using System.IO;
using System.Text.Json;

namespace NetGen.Cli;

/// <summary>
/// Writes <c>--metrics</c>: <c>{"network": "mnist", "epochs": [{"epoch": 1, "loss": 0.2965, "seconds": 2.31, "test_accuracy": 96.1}, ...], "test_accuracy": 97.62}</c>,
/// numbers rounded as the console prints them (loss 4 decimals, seconds and percentages 2).
/// </summary>
internal static class MetricsFile
{
    /// <summary>Writes the file completely or not at all, with <see cref="AtomicFile"/>.</summary>
    /// <exception cref="IOException">The file cannot be written (the message names it); a file already there is left as it was.</exception>
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
        AtomicFile.Write(path, file => file.Write(buffer.GetBuffer(), 0, (int)buffer.Length));
    }
}
