using System;
using System.Collections.Generic;
using System.Diagnostics;
using System.IO;
using System.Linq;
using System.Reflection;
using System.Text;
using System.Text.RegularExpressions;

namespace NetGen.Generator.Tests;

/// <summary>
/// One mistake and where its diagnostic must point: <paramref name="Text"/> holds the marker
/// <see cref="ConsoleProjectBuild.Marker"/> right before the offending token; the marker is removed before the
/// file is written, and its 1-based line and column are the expected location.
/// </summary>
public sealed record BuildCase(string File, string Text, string Id)
{
    public override string ToString() => $"{File}: {Id}";
}

/// <summary>A diagnostic as <c>dotnet build</c> prints it: <c>PATH(LINE,COL): error ID: message</c>, by file name.</summary>
public sealed record BuildDiagnostic(string File, int Line, int Column, string Id)
{
    public override string ToString() => $"{File}({Line},{Column}): {Id}";
}

/// <summary>What one <c>dotnet build</c> of a generated project printed.</summary>
public sealed record BuildOutput(int ExitCode, string Text, TimeSpan Elapsed)
{
    private static readonly Regex Located = new(
        @"^\s*(?<path>.+?)\((?<line>\d+),(?<col>\d+)(?:,\d+,\d+)?\): (?<severity>error|warning) (?<id>[A-Za-z]+\d+):",
        RegexOptions.CultureInvariant);

    private static readonly Regex AnyError = new(@"\berror (?<id>[A-Za-z]+\d+):", RegexOptions.CultureInvariant);

    public IReadOnlyList<string> Lines => Text.Split('\n').Select(l => l.TrimEnd('\r')).ToList();

    /// <summary>
    /// The diagnostic lines before the summary. <c>dotnet build</c> repeats every error and warning after
    /// "Build FAILED." even with <c>-clp:NoSummary</c> (it adds its own <c>Summary</c> console logger parameter),
    /// so only the first part is read, where a diagnostic printed twice means it was reported twice.
    /// </summary>
    public IReadOnlyList<string> MainLines
    {
        get
        {
            var lines = Lines;
            int summary = lines.ToList().FindIndex(l => l.Trim() is "Build FAILED." or "Build succeeded.");
            return summary < 0 ? lines : lines.Take(summary).ToList();
        }
    }

    /// <summary>Every located diagnostic with an id of the given prefix, in the order printed (duplicates kept).</summary>
    public IReadOnlyList<BuildDiagnostic> Diagnostics(string idPrefix) => MainLines
        .Select(l => Located.Match(l))
        .Where(m => m.Success && m.Groups["id"].Value.StartsWith(idPrefix, StringComparison.Ordinal))
        .Select(m => new BuildDiagnostic(
            Path.GetFileName(m.Groups["path"].Value.Trim()),
            int.Parse(m.Groups["line"].Value, System.Globalization.CultureInfo.InvariantCulture),
            int.Parse(m.Groups["col"].Value, System.Globalization.CultureInfo.InvariantCulture),
            m.Groups["id"].Value))
        .ToList();

    /// <summary>Lines of the whole output that mention one of the ids (as error or warning).</summary>
    public IReadOnlyList<string> LinesMentioning(params string[] ids) =>
        Lines.Where(l => ids.Any(id => Regex.IsMatch(l, @"\b" + id + @"\b", RegexOptions.CultureInvariant))).ToList();

    /// <summary>Error lines whose id does not start with the prefix (C# errors, SDK errors, ...).</summary>
    public IReadOnlyList<string> OtherErrors(string idPrefix) => Lines
        .Where(l => AnyError.Match(l) is { Success: true } m && !m.Groups["id"].Value.StartsWith(idPrefix, StringComparison.Ordinal))
        .Distinct()
        .ToList();
}

/// <summary>
/// Writes a fresh console project (as a user would: net10.0 Exe, the generator as an analyzer, the runtime,
/// spec files as AdditionalFiles) into a temporary folder outside the repository and runs <c>dotnet build</c> on it.
/// </summary>
internal static class ConsoleProjectBuild
{
    public const char Marker = '§';

    public static readonly TimeSpan Timeout = TimeSpan.FromMinutes(3);

    public static string RepoRoot { get; } = FindRepoRoot();

    /// <summary>
    /// The configuration this test assembly was built in. dotnet test built src/Generator and src/Runtime in it
    /// (they are references of this project), so the temp project can use their outputs as they are.
    /// </summary>
    public static string Configuration { get; } =
        typeof(ConsoleProjectBuild).Assembly.GetCustomAttribute<AssemblyConfigurationAttribute>()?.Configuration is { Length: > 0 } c ? c : "Debug";

    private static string FindRepoRoot()
    {
        for (DirectoryInfo? dir = new(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "NetGen.sln"))) return dir.FullName;
        }
        throw new InvalidOperationException("NetGen.sln not found above " + AppContext.BaseDirectory);
    }

    /// <summary>The default spec items, as a user would write them: every *.nets.json and nets.json.</summary>
    public const string SpecItems = "*.nets.json;nets.json";

    /// <param name="additionalFiles">The AdditionalFiles Include, or null for a project without any.</param>
    public static string ProjectFile(string? additionalFiles) => $"""
        <Project Sdk="Microsoft.NET.Sdk">
          <PropertyGroup>
            <OutputType>Exe</OutputType>
            <TargetFramework>net10.0</TargetFramework>
            <ImplicitUsings>enable</ImplicitUsings>
            <Nullable>enable</Nullable>
          </PropertyGroup>
          <ItemGroup>
            <ProjectReference Include="{Path.Combine(RepoRoot, "src", "Generator", "NetGen.Generator.csproj")}" OutputItemType="Analyzer" ReferenceOutputAssembly="false" />
            <ProjectReference Include="{Path.Combine(RepoRoot, "src", "Runtime", "NetGen.Runtime.csproj")}" />
        {(additionalFiles is null ? "" : $"""    <AdditionalFiles Include="{additionalFiles}" />""")}
          </ItemGroup>
        </Project>
        """;

    /// <summary>The text without its marker, and the marker's 1-based line and column (in UTF-16 units, as Roslyn counts).</summary>
    public static (string Text, int Line, int Column) Unmark(BuildCase c)
    {
        int at = c.Text.IndexOf(Marker);
        if (at < 0 || c.Text.IndexOf(Marker, at + 1) >= 0)
            throw new ArgumentException($"{c.File}: the text must hold exactly one '{Marker}' marker");
        int line = 1, column = 1;
        for (int i = 0; i < at; i++)
        {
            if (c.Text[i] == '\n') { line++; column = 1; }
            else if (c.Text[i] != '\r') column++;
        }
        return (c.Text.Remove(at, 1), line, column);
    }

    /// <summary>Writes the project with its fixed files and cases, builds it, returns the output and the expected diagnostics.</summary>
    public static (BuildOutput Output, IReadOnlyList<BuildDiagnostic> Expected) Build(
        IReadOnlyList<(string File, string Text)> files, IReadOnlyList<BuildCase> cases, string? additionalFiles = SpecItems)
    {
        var names = files.Select(f => f.File).Concat(cases.Select(c => c.File)).ToList();
        if (names.Distinct(StringComparer.OrdinalIgnoreCase).Count() != names.Count)
            throw new ArgumentException("file names must be unique: " + string.Join(", ", names));

        string dir = Path.Combine(Path.GetTempPath(), "netgen-build-" + Guid.NewGuid().ToString("N"));
        Directory.CreateDirectory(dir);
        try
        {
            var utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: false);
            File.WriteAllText(Path.Combine(dir, "App.csproj"), ProjectFile(additionalFiles), utf8);
            foreach (var (file, text) in files) File.WriteAllText(Path.Combine(dir, file), text, utf8);
            var expected = new List<BuildDiagnostic>();
            foreach (BuildCase c in cases)
            {
                var (text, line, column) = Unmark(c);
                File.WriteAllText(Path.Combine(dir, c.File), text, utf8);
                expected.Add(new BuildDiagnostic(c.File, line, column, c.Id));
            }
            return (RunDotnetBuild(dir), expected);
        }
        finally
        {
            try { Directory.Delete(dir, recursive: true); }
            catch (IOException) { } // a leftover temp folder must not fail the test
            catch (UnauthorizedAccessException) { }
        }
    }

    private static BuildOutput RunDotnetBuild(string dir)
    {
        var start = new ProcessStartInfo("dotnet")
        {
            WorkingDirectory = dir,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
            UseShellExecute = false,
        };
        foreach (string arg in new[]
        {
            "build", "App.csproj", "--nologo", "-v:q", "-clp:NoSummary", "-tl:off",
            "-c", Configuration,
            // Use src/Generator and src/Runtime as dotnet test built them for this assembly: do not build them
            // again (that could race with another build of the repository) and do not restore them.
            "--no-dependencies", "-p:RestoreRecursive=false",
            // Leave no MSBuild node or compiler server behind that keeps the output pipes open.
            "-nodeReuse:false", "-p:UseSharedCompilation=false",
        })
        {
            start.ArgumentList.Add(arg);
        }
        start.Environment["DOTNET_CLI_TELEMETRY_OPTOUT"] = "1";
        start.Environment["DOTNET_NOLOGO"] = "1";
        start.Environment["DOTNET_SKIP_FIRST_TIME_EXPERIENCE"] = "1";
        start.Environment["DOTNET_CLI_USE_MSBUILD_SERVER"] = "0";
        start.Environment["MSBUILDDISABLENODEREUSE"] = "1";
        // The test host's own MSBuild/test variables must not leak into the child build.
        start.Environment.Remove("MSBuildExtensionsPath");
        start.Environment.Remove("MSBuildSDKsPath");
        start.Environment.Remove("MSBUILD_EXE_PATH");

        var output = new StringBuilder();
        var stopwatch = Stopwatch.StartNew();
        using var process = new Process { StartInfo = start };
        process.OutputDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.ErrorDataReceived += (_, e) => { if (e.Data is not null) lock (output) output.AppendLine(e.Data); };
        process.Start();
        process.BeginOutputReadLine();
        process.BeginErrorReadLine();
        if (!process.WaitForExit((int)Timeout.TotalMilliseconds))
        {
            process.Kill(entireProcessTree: true);
            process.WaitForExit();
            throw new TimeoutException($"dotnet build did not finish within {Timeout.TotalSeconds} s; output so far:\n{output}");
        }
        process.WaitForExit(); // drains the redirected output
        stopwatch.Stop();
        lock (output) return new BuildOutput(process.ExitCode, output.ToString(), stopwatch.Elapsed);
    }
}
