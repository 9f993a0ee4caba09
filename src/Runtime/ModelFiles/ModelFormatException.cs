using System;

namespace NetGen;

/// <summary>A model file that cannot be read, or does not fit the network: the message names the file and the problem.</summary>
public sealed class ModelFormatException : Exception
{
    /// <summary>Creates the exception with a one-line message.</summary>
    public ModelFormatException(string message) : base(message)
    {
    }

    /// <summary>Creates the exception with a one-line message and its cause.</summary>
    public ModelFormatException(string message, Exception inner) : base(message, inner)
    {
    }
}
