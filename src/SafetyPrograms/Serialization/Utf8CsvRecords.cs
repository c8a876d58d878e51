using System.Buffers;
using System.Numerics;
using System.Runtime.CompilerServices;
using System.Runtime.Intrinsics;

namespace SafetyPrograms.Serialization;

/// <summary>
/// The one RFC 4180 tokenizer: reads records one by one from UTF-8 bytes holding whole records (a
/// <see cref="RecordChunker"/> chunk). Fields are comma-separated; a field that starts with a quote is quoted, a
/// doubled quote inside it is one quote, and commas and line breaks inside it are data. Records end at <c>\n</c>,
/// <c>\r\n</c> or <c>\r</c>; empty lines between records are skipped. A malformed record is still read to its end and
/// flagged with <see cref="Error"/>, so reading resumes at the next record.
/// </summary>
/// <remarks>
/// A broken quote does not swallow the file: a quoted field that is still open at a line end more than
/// <see cref="MaxQuotedFieldBytes"/> bytes after its opening quote, or at the end of the input, ends its record at the
/// first line end after the quote; that record is flagged with <see cref="BrokenQuoteMessage"/>, and reading resumes on
/// the next physical line. The chunker finds record ends with this same tokenizer (<see cref="Read"/> with
/// <c>final: false</c>), so both always agree on where records end.
/// </remarks>
internal sealed class Utf8CsvRecords
{
    /// <summary>The most fields a record may have.</summary>
    internal const int MaxFields = 1024;

    /// <summary>How far after its opening quote a quoted field may still hold a line break: 64 KiB.</summary>
    internal const int MaxQuotedFieldBytes = 1 << 16;

    /// <summary>What is said of a record whose quoted field is not closed on its line (<see cref="MaxQuotedFieldBytes"/>).</summary>
    internal const string BrokenQuoteMessage =
        "A quoted field is not closed: it is still open at a line end 65,536 bytes after its opening quote, or at the end of the " +
        "input. The record ends at its own line end and reading resumes on the next line; close the quote or remove it.";

    /// <summary>The bytes that end an unquoted stretch of a field.</summary>
    internal static readonly SearchValues<byte> Specials = SearchValues.Create(",\"\r\n"u8);

    // Each field's start and length: in the data, or in the scratch buffer when it was unescaped (a doubled quote).
    private FieldBounds[] _fields = new FieldBounds[16];
    private bool[] _unescaped = new bool[16];
    private bool _anyUnescaped; // whether _unescaped holds any true: most records have no doubled quote, and never read it
    private byte[] _scratch = new byte[256];
    private int _scratchLength;

    /// <summary>Where the next record starts in the data.</summary>
    internal int Position { get; private set; }

    /// <summary>Line ends passed so far: the current record starts after <see cref="RecordLineEnds"/> of them.</summary>
    internal int LineEnds { get; private set; }

    /// <summary>How many line ends precede the current record in the data (add the data's first line for its line number).</summary>
    internal int RecordLineEnds { get; private set; }

    /// <summary>The number of fields in the current record.</summary>
    internal int FieldCount { get; private set; }

    /// <summary>What is malformed in the current record, or <c>null</c>.</summary>
    internal string? Error { get; private set; }

    /// <summary>Whether the current record ends at a broken quote (<see cref="BrokenQuoteMessage"/>).</summary>
    internal bool BrokenQuote { get; private set; }

    /// <summary>Whether the last <see cref="Read"/> stopped at a record that more data could still change.</summary>
    internal bool Incomplete { get; private set; }

    /// <summary>
    /// The index just after the last record end in <paramref name="data"/> (which starts at a record) that more data
    /// cannot change, or 0: where the chunker may cut.
    /// </summary>
    internal int LastRecordEnd(ReadOnlySpan<byte> data)
    {
        Reset();
        var end = 0;
        while (Read(data, final: false))
        {
            end = Position;
        }
        return Incomplete ? end : Position;
    }

    /// <summary>Physical line breaks in text inside a quoted field: each <c>\r\n</c>, <c>\n</c> and lone <c>\r</c>.</summary>
    internal static int LineBreaks(ReadOnlySpan<byte> text) =>
        text.Count((byte)'\n') + text.Count((byte)'\r') - text.Count("\r\n"u8);

    /// <summary>Starts again at the beginning of new data.</summary>
    internal void Reset()
    {
        Position = 0;
        LineEnds = 0;
    }

    /// <summary>Field <paramref name="index"/> of the current record, unquoted; valid until the next record is read.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    internal ReadOnlySpan<byte> Field(ReadOnlySpan<byte> data, int index)
    {
        var f = _fields[index];
        return _anyUnescaped && _unescaped[index] ? _scratch.AsSpan(f.Start, f.Length) : data.Slice(f.Start, f.Length);
    }

    /// <summary>
    /// The fields of the current record as bounds in the data, when every one lies there (no field was unescaped into
    /// scratch); otherwise empty, and <see cref="Field"/> gives each. A reader of many fields a record slices them from
    /// these with no per-field test.
    /// </summary>
    internal ReadOnlySpan<FieldBounds> InPlace => _anyUnescaped ? default : _fields.AsSpan(0, FieldCount);

    /// <summary>Reads the next record of <paramref name="data"/>.</summary>
    /// <param name="data">Whole records, or (not <paramref name="final"/>) the start of the input still to come.</param>
    /// <param name="final">Whether the data ends the input; if not, a record that runs to its end is left unread
    /// (<see cref="Incomplete"/>).</param>
    /// <returns><c>false</c> when only empty lines remain, or the next record is incomplete.</returns>
    internal bool Read(ReadOnlySpan<byte> data, bool final = true)
    {
        Incomplete = false;
        var lineEnds = LineEnds;
        var i = SkipEmptyLines(data, Position, final);
        if (i < 0 || i == data.Length)
        {
            Incomplete = i < 0;
            LineEnds = i < 0 ? lineEnds : LineEnds;
            Position = i < 0 ? Position : i;
            return false;
        }
        RecordLineEnds = LineEnds;
        if (_anyUnescaped)
        {
            Array.Clear(_unescaped, 0, FieldCount); // the last record's flags: its fields are all a flag was set for
            _anyUnescaped = false;
        }
        FieldCount = 0;
        _scratchLength = 0;
        Error = null;
        BrokenQuote = false;
        var recordStart = i;
        if (!final || !PlainRecord(data, ref i))
        {
            while (true)
            {
                i = data[i] == '"' ? QuotedField(data, i, final) : UnquotedField(data, i);
                if (i < 0 || (i == data.Length && !final))
                {
                    Incomplete = true;
                    LineEnds = lineEnds;
                    return false;
                }
                if (i == data.Length)
                {
                    break;
                }
                var delimiter = data[i++];
                if (delimiter == ',')
                {
                    if (i == data.Length)
                    {
                        if (!final)
                        {
                            Incomplete = true;
                            LineEnds = lineEnds;
                            return false;
                        }
                        AddField(i, i); // a trailing comma: one more, empty, field
                        break;
                    }
                    continue;
                }
                if (delimiter == '\r' && i == data.Length && !final)
                {
                    Incomplete = true; // a \n may follow
                    LineEnds = lineEnds;
                    return false;
                }
                LineEnds++;
                if (delimiter == '\r' && i < data.Length && data[i] == '\n')
                {
                    i++;
                }
                break;
            }
        }
        if (i - recordStart > RecordChunker.MaxRecordBytes)
        {
            Error = RecordChunker.TooLongMessage;
        }
        Position = i;
        return true;
    }

    /// <summary>
    /// Reads a record without quotes, the common case, as the field-by-field loop would: one pass finds its commas and
    /// where it ends. Returns <c>false</c> when a quote comes before the record's line end (the fields split so far are
    /// dropped: <see cref="FieldCount"/> stays 0); otherwise <paramref name="i"/> ends after the line end.
    /// </summary>
    private bool PlainRecord(ReadOnlySpan<byte> data, ref int i)
    {
        if (_fields.Length < MaxFields)
        {
            // Room for as many fields as a record may have, once, so that bounds are stored below without a call a field;
            // a record with more counts them all and is refused after.
            Array.Resize(ref _fields, MaxFields);
            Array.Resize(ref _unescaped, MaxFields);
        }
        var fields = _fields;
        var count = 0;
        var field = i;
        var at = i;
        var end = -1;
        if (Vector256.IsHardwareAccelerated)
        {
            // 32 bytes at a time: a bit a comma, and a bit a quote or line end, whose first stops the record; commas are
            // taken lowest first, so no call is made a field. Fewer than 32 bytes left in the data are read one by one.
            var comma = Vector256.Create((byte)',');
            var quote = Vector256.Create((byte)'"');
            var cr = Vector256.Create((byte)'\r');
            var lf = Vector256.Create((byte)'\n');
            while (data.Length - at >= Vector256<byte>.Count)
            {
                var block = Vector256.Create(data.Slice(at, Vector256<byte>.Count));
                var commas = Vector256.Equals(block, comma).ExtractMostSignificantBits();
                var stops = (Vector256.Equals(block, quote) | Vector256.Equals(block, cr) | Vector256.Equals(block, lf)).ExtractMostSignificantBits();
                var from = at;
                if (stops != 0)
                {
                    var stop = BitOperations.TrailingZeroCount(stops);
                    end = at + stop;
                    commas &= (1u << stop) - 1; // the commas before it
                }
                else
                {
                    at += Vector256<byte>.Count;
                }
                for (; commas != 0; commas &= commas - 1)
                {
                    var c = from + BitOperations.TrailingZeroCount(commas);
                    if ((uint)count < (uint)fields.Length)
                    {
                        fields[count] = new FieldBounds(field, c - field);
                    }
                    count++;
                    field = c + 1;
                }
                if (end >= 0)
                {
                    break;
                }
            }
        }
        if (end < 0)
        {
            for (; at < data.Length; at++)
            {
                var b = data[at];
                if (b == ',')
                {
                    if ((uint)count < (uint)fields.Length)
                    {
                        fields[count] = new FieldBounds(field, at - field);
                    }
                    count++;
                    field = at + 1;
                }
                else if (b is (byte)'"' or (byte)'\r' or (byte)'\n')
                {
                    break;
                }
            }
            end = at;
        }
        if (end < data.Length && data[end] == '"')
        {
            return false;
        }
        FieldCount = Math.Min(count, fields.Length);
        AddField(field, end);
        i = end;
        if (i < data.Length)
        {
            LineEnds++;
            i += data[i] == '\r' && i + 1 < data.Length && data[i + 1] == '\n' ? 2 : 1;
        }
        return true;
    }

    /// <summary>Skips empty lines; -1 when a \r ends data that is not final (a \n may follow).</summary>
    private int SkipEmptyLines(ReadOnlySpan<byte> data, int i, bool final)
    {
        while (i < data.Length && data[i] is (byte)'\n' or (byte)'\r')
        {
            if (data[i] == '\r' && i + 1 == data.Length && !final)
            {
                return -1;
            }
            i += data[i] == '\r' && i + 1 < data.Length && data[i + 1] == '\n' ? 2 : 1;
            LineEnds++;
        }
        return i;
    }

    /// <summary>Reads a field that does not start with a quote; returns the index of its delimiter (or the data's end).</summary>
    private int UnquotedField(ReadOnlySpan<byte> data, int start)
    {
        var i = start;
        while (true)
        {
            var special = data[i..].IndexOfAny(Specials);
            if (special < 0)
            {
                i = data.Length;
                break;
            }
            i += special;
            if (data[i] != '"')
            {
                break;
            }
            Error ??= "A quote inside an unquoted field: quote the whole field and double the quotes inside it.";
            i++;
        }
        AddField(start, i);
        return i;
    }

    /// <summary>
    /// Reads a quoted field starting at its opening quote; returns the index of the delimiter after it, or -1 when more
    /// data (not <paramref name="final"/>) could still change where it ends. A broken quote ends at its first line end.
    /// </summary>
    private int QuotedField(ReadOnlySpan<byte> data, int openingQuote, bool final)
    {
        var i = openingQuote + 1;
        var segment = i;
        var unescaped = false;
        var scratchStart = _scratchLength;
        var breaks = 0;
        var firstBreak = -1;
        while (true)
        {
            var quote = data[i..].IndexOf((byte)'"');
            var text = quote < 0 ? data[i..] : data.Slice(i, quote);
            var lastBreak = text.LastIndexOfAny((byte)'\n', (byte)'\r');
            if (lastBreak >= 0)
            {
                firstBreak = firstBreak >= 0 ? firstBreak : i + text.IndexOfAny((byte)'\n', (byte)'\r');
                if (i + lastBreak - openingQuote > MaxQuotedFieldBytes)
                {
                    return EndAtFirstBreak(openingQuote + 1, firstBreak);
                }
                breaks += LineBreaks(text);
            }
            if (quote < 0 || (i + quote == data.Length - 1 && !final))
            {
                if (!final)
                {
                    return -1; // the quote may close, or be the first of a doubled pair, in data still to come
                }
                if (firstBreak >= 0)
                {
                    return EndAtFirstBreak(openingQuote + 1, firstBreak);
                }
                Error ??= BrokenQuoteMessage;
                BrokenQuote = true;
                EndQuotedField(data[segment..], unescaped, segment, scratchStart);
                return data.Length;
            }
            i += quote;
            if (i + 1 < data.Length && data[i + 1] == '"')
            {
                // A doubled quote is one quote of data: the field is copied, without the second quote.
                Copy(data[segment..(i + 1)]);
                unescaped = true;
                i += 2;
                segment = i;
                continue;
            }
            EndQuotedField(data[segment..i], unescaped, segment, scratchStart);
            i++;
            break;
        }
        LineEnds += breaks;
        if (i < data.Length && data[i] is not ((byte)',' or (byte)'\n' or (byte)'\r'))
        {
            Error ??= "Text after a closing quote: a quoted field must end at a comma or the end of the line.";
            var end = data[i..].IndexOfAny(Specials);
            i = end < 0 ? data.Length : i + end;
            while (i < data.Length && data[i] == '"')
            {
                var next = data[(i + 1)..].IndexOfAny(Specials);
                i = next < 0 ? data.Length : i + 1 + next;
            }
        }
        return i;
    }

    /// <summary>Ends a broken quoted field, and with it the record, at the first line end after its opening quote.</summary>
    private int EndAtFirstBreak(int start, int firstBreak)
    {
        Error ??= BrokenQuoteMessage;
        BrokenQuote = true;
        AddField(start, firstBreak);
        return firstBreak;
    }

    /// <summary>Adds a quoted field's last stretch: in place, or after the part already copied.</summary>
    private void EndQuotedField(ReadOnlySpan<byte> lastStretch, bool unescaped, int stretchStart, int scratchStart)
    {
        if (!unescaped)
        {
            AddField(stretchStart, stretchStart + lastStretch.Length);
            return;
        }
        Copy(lastStretch);
        if (AddField(scratchStart, _scratchLength))
        {
            _unescaped[FieldCount - 1] = true;
            _anyUnescaped = true;
        }
    }

    /// <summary>Adds a field, a range of the data (or of the scratch buffer, which the caller then marks); <c>false</c> past <see cref="MaxFields"/>.</summary>
    [MethodImpl(MethodImplOptions.AggressiveInlining)]
    private bool AddField(int start, int end)
    {
        var count = FieldCount;
        var fields = _fields;
        if ((uint)count < (uint)fields.Length)
        {
            fields[count] = new FieldBounds(start, end - start);
            FieldCount = count + 1;
            return true;
        }
        return AddFieldGrowing(start, end);
    }

    /// <summary><see cref="AddField"/> when the arrays are full: they double, up to <see cref="MaxFields"/>.</summary>
    private bool AddFieldGrowing(int start, int end)
    {
        if (FieldCount >= MaxFields)
        {
            Error ??= $"The record has more than {MaxFields} fields.";
            return false;
        }
        Array.Resize(ref _fields, FieldCount * 2);
        Array.Resize(ref _unescaped, FieldCount * 2);
        _fields[FieldCount] = new FieldBounds(start, end - start);
        FieldCount++;
        return true;
    }

    private void Copy(ReadOnlySpan<byte> text)
    {
        if (_scratchLength + text.Length > _scratch.Length)
        {
            Array.Resize(ref _scratch, Math.Max(_scratch.Length * 2, _scratchLength + text.Length));
        }
        text.CopyTo(_scratch.AsSpan(_scratchLength));
        _scratchLength += text.Length;
    }
}

/// <summary>Where a CSV field's text lies in the data it was read from.</summary>
/// <param name="Start">The index of its first byte.</param>
/// <param name="Length">Its length in bytes.</param>
internal readonly record struct FieldBounds(int Start, int Length);
