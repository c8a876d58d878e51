using System.Text;

namespace SafetyPrograms.Privacy;

/// <summary>
/// Reads RFC 4180 records from a stream of text: fields separated by commas, a field in double quotes may hold
/// commas, line breaks and doubled quotes. A malformed record is returned with its problem and skipped to the end of
/// its line, so that the caller can report it by line number and go on.
/// </summary>
internal sealed class CsvRecordReader
{
    /// <summary>A record longer than this is refused outright: it is almost always an unterminated quote.</summary>
    internal const int MaxRecordChars = 1 << 20;

    private readonly TextReader _reader;
    private readonly char[] _buffer = new char[16 * 1024];
    private readonly StringBuilder _field = new();
    private int _position;
    private int _length;
    private long _line = 1;
    private int _recordChars;

    internal CsvRecordReader(TextReader reader) => _reader = reader;

    /// <summary>Reads the next record.</summary>
    /// <param name="fields">Receives the fields (cleared first).</param>
    /// <param name="startLine">The 1-based physical line the record starts on.</param>
    /// <param name="problem">Why the record is malformed; <c>null</c> when it is well formed.</param>
    /// <returns><c>false</c> at the end of the input.</returns>
    /// <exception cref="Serialization.DataFormatException">A record is longer than <see cref="MaxRecordChars"/>.</exception>
    internal bool TryRead(List<string> fields, out long startLine, out string? problem)
    {
        fields.Clear();
        _field.Clear();
        _recordChars = 0;
        startLine = _line;
        problem = null;
        var c = Next();
        if (c < 0)
        {
            return false;
        }
        while (true)
        {
            if (c == '"')
            {
                if (!ReadQuoted(startLine, out c, out problem))
                {
                    SkipLine(c);
                    return true;
                }
            }
            else
            {
                while (c >= 0 && c is not (',' or '\r' or '\n'))
                {
                    if (c == '"')
                    {
                        problem = "a double quote inside a field that does not start with one; quote the whole field and double the quote";
                        SkipLine(Next());
                        return true;
                    }
                    Append((char)c, startLine);
                    c = Next();
                }
            }
            fields.Add(_field.ToString());
            _field.Clear();
            if (c == ',')
            {
                c = Next();
                continue;
            }
            EndLine(c);
            return true;
        }
    }

    /// <summary>Reads a quoted field after its opening quote; <paramref name="after"/> is the character after the closing quote.</summary>
    private bool ReadQuoted(long startLine, out int after, out string? problem)
    {
        while (true)
        {
            var c = Next();
            if (c < 0)
            {
                after = c;
                problem = $"a quoted field that starts on line {startLine} is never closed";
                return false;
            }
            if (c == '"')
            {
                var next = Next();
                if (next == '"')
                {
                    Append('"', startLine);
                    continue;
                }
                after = next;
                if (next < 0 || next is ',' or '\r' or '\n')
                {
                    problem = null;
                    return true;
                }
                problem = "a closing double quote is followed by text; double a quote that is part of the field";
                return false;
            }
            if (c == '\n' || (c == '\r' && Peek() != '\n'))
            {
                _line++;
            }
            Append((char)c, startLine);
        }
    }

    private void Append(char c, long startLine)
    {
        if (++_recordChars > MaxRecordChars)
        {
            throw new Serialization.DataFormatException(
                $"The record is longer than {MaxRecordChars} characters; a double quote is probably never closed.", null, null, startLine, null);
        }
        _field.Append(c);
    }

    private void SkipLine(int c)
    {
        while (c >= 0 && c is not ('\r' or '\n'))
        {
            c = Next();
        }
        EndLine(c);
    }

    /// <summary>Consumes a line break (CRLF, LF or CR) whose first character is <paramref name="c"/>.</summary>
    private void EndLine(int c)
    {
        if (c == '\r' && Peek() == '\n')
        {
            Next();
        }
        if (c >= 0)
        {
            _line++;
        }
    }

    private int Peek()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position];
    }

    private int Next()
    {
        if (_position == _length && !Fill())
        {
            return -1;
        }
        return _buffer[_position++];
    }

    private bool Fill()
    {
        _length = _reader.Read(_buffer, 0, _buffer.Length);
        _position = 0;
        return _length > 0;
    }
}
