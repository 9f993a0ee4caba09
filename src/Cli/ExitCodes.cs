namespace NetGen.Cli;

/// <summary>The program's exit codes.</summary>
internal static class ExitCodes
{
    /// <summary>Done.</summary>
    public const int Ok = 0;

    /// <summary>Bad input or usage: an unknown option or command, a bad value, a missing or broken data, model or image file.</summary>
    public const int BadInput = 1;

    /// <summary>Failure during training: the loss became NaN or infinite, or a checkpoint could not be written.</summary>
    public const int TrainingFailed = 2;

    /// <summary>Training was stopped with Ctrl+C (after finishing the current step and saving a checkpoint if --save was given); 128 + SIGINT, as shells report it.</summary>
    public const int Interrupted = 130;
}
