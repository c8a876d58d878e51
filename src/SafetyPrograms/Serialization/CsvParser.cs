using System.Buffers;

namespace SafetyPrograms.Serialization;

/// <summary>
/// An RFC 4180 record reader over a <see cref="TextReader"/>: comma-separated fields, quoted fields with doubled
/// quotes and embedded line breaks, <c>\n</c>, <c>\r\n</c> or <c>\r</c> line ends. It holds one buffer and one
/// record, never the file. Empty lines between records are skipped. A malformed record is still consumed to its
/// end and flagged with <see cref="Error"/>, so reading resumes at the next record.
/// </summary>
internal sealed class CsvParser(TextReader reader)
{
    private const int MaxRecordChars = 1 << 20;
    private const int MaxFields = 1024;

    private static readonly SearchValues<char> Specials = SearchValues.Create(",\r\n\"");

    private readonly char[] _buffer = new char[1 << 16];
    private int _pos;
    private int _len;
    private long _line = 1;
    private char[] _chars = new char[256];
    private int _charCount;
    private int[] _starts = new int[16];
    private int[] _lengths = new int[16];

    /// <summary>The 1-based line the current record starts on.</summary>
    internal long RecordLine { get; private set; }

    /// <summary>The number of fields in the current record.</summary>
    internal int FieldCount { get; private set; }

    /// <summary>What is malformed in the current record, or <c>null</c>.</summary>
    internal string? Error { get; private set; }

    /// <summary>The text of field <paramref name="index"/>, unquoted; valid until the next record is read.</summary>
    internal ReadOnlySpan<char> this[int index] => _chars.AsSpan(_starts[index], _lengths[index]);

    /// <summary>Reads the next record.</summary>
    /// <returns><c>false</c> at the end of the input.</returns>
    internal bool ReadRecord()
    {
        FieldCount = 0;
        _charCount = 0;
        Error = null;
        if (!SkipEmptyLines())
        {
            return false;
        }
        RecordLine = _line;
        var inQuotes = false;
        var afterQuote = false;
        var fieldStart = 0;
        while (true)
        {
            if (_pos >= _len && !Fill())
            {
                if (inQuotes)
                {
                    Error ??= $"A quoted field opened on line {RecordLine} is not closed before the end of the file.";
                }
                EndField(fieldStart);
                return true;
            }
            var rest = _buffer.AsSpan(_pos, _len - _pos);
            if (inQuotes)
            {
                // Copy up to the next quote in one go; line breaks inside quotes still count as lines.
                var quote = rest.IndexOf('"');
                var quotedText = quote < 0 ? rest : rest[..quote];
                _line += quotedText.Count('\n');
                Append(quotedText);
                _pos += quotedText.Length;
                if (quote < 0)
                {
                    continue;
                }
                _pos++;
                if ((_pos < _len || Fill()) && _buffer[_pos] == '"')
                {
                    Append("\"");
                    _pos++;
                }
                else
                {
                    inQuotes = false;
                    afterQuote = true;
                }
                continue;
            }
            var special = rest.IndexOfAny(Specials);
            var text = special < 0 ? rest : rest[..special];
            if (!text.IsEmpty)
            {
                if (afterQuote)
                {
                    Error ??= "Text after a closing quote: a quoted field must end at a comma or the end of the line.";
                }
                Append(text);
                _pos += text.Length;
            }
            if (special < 0)
            {
                continue;
            }
            switch (_buffer[_pos++])
            {
                case ',':
                    EndField(fieldStart);
                    fieldStart = _charCount;
                    afterQuote = false;
                    break;
                case '\n':
                    _line++;
                    EndField(fieldStart);
                    return true;
                case '\r':
                    if ((_pos < _len || Fill()) && _buffer[_pos] == '\n')
                    {
                        _pos++;
                    }
                    _line++;
                    EndField(fieldStart);
                    return true;
                default: // a quote
                    if (_charCount == fieldStart && !afterQuote)
                    {
                        inQuotes = true;
                    }
                    else
                    {
                        Error ??= "A quote inside an unquoted field: quote the whole field and double the quotes inside it.";
                        Append("\"");
                    }
                    break;
            }
        }
    }

    private bool SkipEmptyLines()
    {
        while (_pos < _len || Fill())
        {
            switch (_buffer[_pos])
            {
                case '\n':
                    _pos++;
                    _line++;
                    break;
                case '\r':
                    _pos++;
                    if ((_pos < _len || Fill()) && _buffer[_pos] == '\n')
                    {
                        _pos++;
                    }
                    _line++;
                    break;
                default:
                    return true;
            }
        }
        return false;
    }

    private bool Fill()
    {
        _pos = 0;
        _len = reader.Read(_buffer, 0, _buffer.Length);
        return _len > 0;
    }

    private void Append(ReadOnlySpan<char> text)
    {
        if (_charCount + text.Length > _chars.Length)
        {
            if (_charCount + text.Length > MaxRecordChars)
            {
                Error ??= $"The record is longer than {MaxRecordChars} characters.";
                return;
            }
            Array.Resize(ref _chars, Math.Max(_chars.Length * 2, _charCount + text.Length));
        }
        text.CopyTo(_chars.AsSpan(_charCount));
        _charCount += text.Length;
    }

    private void EndField(int fieldStart)
    {
        if (FieldCount == _starts.Length)
        {
            if (FieldCount >= MaxFields)
            {
                Error ??= $"The record has more than {MaxFields} fields.";
                return;
            }
            Array.Resize(ref _starts, FieldCount * 2);
            Array.Resize(ref _lengths, FieldCount * 2);
        }
        _starts[FieldCount] = fieldStart;
        _lengths[FieldCount] = _charCount - fieldStart;
        FieldCount++;
    }
}
