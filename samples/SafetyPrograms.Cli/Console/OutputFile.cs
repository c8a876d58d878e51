namespace SafetyPrograms.Cli.Console;

/// <summary>
/// The one way the tool writes a file. The output must be a regular file or a new path, and not one of the command's
/// inputs (judged by device and inode, so a symbolic or hard link to an input is refused too). A refused output is never
/// created or opened. The content goes to a uniquely named temporary file in the target's folder, which replaces the
/// target only when complete: an error or Ctrl-C leaves the old file as it was, and two runs writing one path at once
/// never remove each other's temporary file.
/// </summary>
internal static class OutputFile
{
    /// <summary>Writes <paramref name="path"/> through <paramref name="write"/>, after the checks the type describes.</summary>
    /// <exception cref="IOException">The output is a directory, a device, pipe or socket, or one of <paramref name="inputs"/>.</exception>
    public static void Write(string path, IEnumerable<string> inputs, Action<Stream> write)
    {
        var target = Check(path, inputs);
        var directory = Path.GetDirectoryName(target) ?? ".";
        Directory.CreateDirectory(directory);
        var partial = Path.Combine(directory, $".{Path.GetFileName(target)}.{Guid.NewGuid():N}.partial");
        try
        {
            using (var stream = new FileStream(partial, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            {
                write(stream);
            }
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>Writes UTF-8 text (no byte order mark) to <paramref name="path"/> as <see cref="Write(string, IEnumerable{string}, Action{Stream})"/> does.</summary>
    public static void WriteText(string path, IEnumerable<string> inputs, Action<TextWriter> write) =>
        Write(path, inputs, stream =>
        {
            using var text = new StreamWriter(stream, new System.Text.UTF8Encoding(encoderShouldEmitUTF8Identifier: false), 1 << 16);
            write(text);
        });

    /// <summary>
    /// Refuses an output that is not a regular file or new path, or that is one of the inputs; returns the path to
    /// replace (the final target of a symbolic link, so the link itself stays).
    /// </summary>
    public static string Check(string path, IEnumerable<string> inputs)
    {
        var full = Path.GetFullPath(path);
        if (FileIdentity.Of(full) is not { } output)
        {
            if (Directory.Exists(full) || path.EndsWith(Path.DirectorySeparatorChar) || path.EndsWith(Path.AltDirectorySeparatorChar))
            {
                throw new IOException($"The output {path} is a directory: give a file name.");
            }
            return full;
        }
        switch (output.Kind)
        {
            case FileIdentity.Kinds.Directory:
                throw new IOException($"The output {path} is a directory: give a file name.");
            case FileIdentity.Kinds.Special:
                throw new IOException($"The output {path} is not a regular file (it is a device, pipe or socket): write to a regular file or a new path.");
        }
        foreach (var input in inputs)
        {
            if (FileIdentity.Of(input) is { } source && source.IsSameFileAs(output))
            {
                throw new IOException($"The output {path} is the input {input} (the same file): writing it would destroy the input. Choose another output path.");
            }
        }
        return new FileInfo(full).ResolveLinkTarget(returnFinalTarget: true)?.FullName ?? full;
    }
}
