using System;

namespace NetGen.Cli;

/// <summary>A problem with the user's input found by the program itself (not by System.CommandLine's parser): one <c>error:</c> line, exit code 1.</summary>
internal sealed class UsageException(string message) : Exception(message);
