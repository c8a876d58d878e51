using System.Buffers.Binary;
using System.Globalization;
using System.Runtime.InteropServices;
using Parquet.Meta;
using Parquet.Schema;

namespace SafetyPrograms.Parquet;

/// <summary>
/// A direct reader of flat Parquet column chunks for the files participation data comes in: pages PLAIN or dictionary
/// encoded, version 1 or 2, uncompressed or Snappy. A text value is kept where it lies (a slice of its page or of the
/// dictionary), with its dictionary entry number when it has one; a number (a date, a decimal, an integer, a boolean) is
/// kept as it is stored, and written as the UTF-8 text the one field decoder reads (an ISO date, a decimal with its scale)
/// only when a row asks for it. No string or object a value.
/// </summary>
/// <remarks>
/// Parquet.Net materialises a string for every text value, which costs more than all the rest of ingest; this reader
/// keeps each text value as a slice of its page. Files it cannot read (another codec or encoding, nested columns,
/// timestamps, floating-point numbers) go through Parquet.Net instead (<see cref="CanRead"/>), with the same results.
/// </remarks>
internal static class ColumnChunks
{
    /// <summary>The most rows a row group may have for this reader (writers use from about 100,000 to a few million).</summary>
    internal const int MaxRowGroupRows = 1 << 24;

    /// <summary>Whether every column of every row group is one this reader decodes.</summary>
    internal static bool CanRead(FileMetaData metadata, IReadOnlyList<DataField> fields)
    {
        foreach (var field in fields)
        {
            if (field.MaxRepetitionLevel != 0 || field.MaxDefinitionLevel > 1 || KindOf(field.SchemaElement) is null)
            {
                return false;
            }
        }
        foreach (var group in metadata.RowGroups)
        {
            // Row groups larger than this are read through Parquet.Net: the direct reader holds a whole group's positions.
            if (group.Columns.Count != fields.Count || group.NumRows is < 0 or > MaxRowGroupRows)
            {
                return false;
            }
            foreach (var column in group.Columns)
            {
                if (column.MetaData is not { } meta || column.FilePath is not null
                    || meta.Codec is not (CompressionCodec.UNCOMPRESSED or CompressionCodec.SNAPPY)
                    || meta.Encodings.Any(e => e is not (Encoding.PLAIN or Encoding.RLE or Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY)))
                {
                    return false;
                }
            }
        }
        return true;
    }

    /// <summary>How a column's values become text, or <c>null</c> for a column this reader leaves to Parquet.Net.</summary>
    internal static ValueKind? KindOf(SchemaElement? element)
    {
        if (element?.Type is not { } type)
        {
            return null;
        }
        var logical = element.LogicalType;
        var converted = element.ConvertedType;
        var isDecimal = logical?.DECIMAL is not null || converted == ConvertedType.DECIMAL;
        return type switch
        {
            global::Parquet.Meta.Type.BYTE_ARRAY when !isDecimal && (logical is null || logical.STRING is not null || logical.ENUM is not null || logical.JSON is not null) => ValueKind.Text,
            global::Parquet.Meta.Type.BOOLEAN => ValueKind.Boolean,
            global::Parquet.Meta.Type.INT32 when logical?.DATE is not null || converted == ConvertedType.DATE => ValueKind.Date,
            global::Parquet.Meta.Type.INT32 or global::Parquet.Meta.Type.INT64 when isDecimal => element.Scale is >= 0 and <= 18 ? ValueKind.Decimal : null,
            global::Parquet.Meta.Type.INT32 or global::Parquet.Meta.Type.INT64
                when (logical is null || logical.INTEGER is { IsSigned: true }) && converted is null or ConvertedType.INT_8 or ConvertedType.INT_16 or ConvertedType.INT_32 or ConvertedType.INT_64 => ValueKind.Integer,
            _ => null,
        };
    }

    /// <summary>How a column's values are written as text.</summary>
    internal enum ValueKind
    {
        Text,
        Boolean,
        Date,
        Integer,
        Decimal,
    }

    /// <summary>
    /// One column chunk decoded: for each row, where its value is (a slice of the page bytes or of the dictionary), or
    /// that it is null. Reused from row group to row group.
    /// </summary>
    internal sealed class Column(DataField source)
    {
        private readonly ValueKind _kind = KindOf(source.SchemaElement)!.Value;
        private readonly global::Parquet.Meta.Type _type = source.SchemaElement!.Type!.Value;
        private readonly int _scale = source.SchemaElement.Scale ?? 0;
        private readonly bool _optional = source.MaxDefinitionLevel > 0;

        // Every value's bytes, back to back: the dictionary's entries first (as text), then plain values.
        private byte[] _bytes = new byte[1 << 16];
        private int _length;

        // Per row of a text column written plain: where its text starts and ends in _bytes (an empty text is null to the
        // decoder too). Per row of a number column: its value as stored.
        private int[] _start = [];
        private int[] _end = [];
        private long[] _number = [];

        // Per row: its dictionary entry, or NoEntry (a plain value), or Null; written only once the chunk is Mixed.
        private int[] _entry = [];
        private int _rows;

        // What every row of the chunk decoded so far has as its entry (Null, NoEntry), Unset before its first page, or
        // Mixed once rows differ and _entry holds them: a column with no value in a row group (as most optional columns
        // are) or with every value written plain (dates, flags) then writes and touches no per-row entry, which at large
        // row groups is most of the decoded memory.
        private int _uniform = Unset;

        /// <summary><see cref="_uniform"/> before a chunk's first data page.</summary>
        private const int Unset = int.MinValue;

        /// <summary><see cref="_uniform"/> once rows' entries differ: <see cref="_entry"/> holds them.</summary>
        private const int Mixed = int.MinValue + 1;

        // The dictionary of the current chunk: each entry's text position, or its number.
        private int[] _dictStart = new int[64];
        private int[] _dictEnd = new int[64];
        private long[] _dictNumber = new long[64];
        private int _dictCount;

        private int _pageStart;
        private int[] _levels = [];
        private int[] _indices = [];

        /// <summary>What <see cref="Entry"/> gives for a null.</summary>
        internal const int Null = -1;

        /// <summary>What <see cref="Entry"/> gives for a value written as it is, not by a dictionary entry.</summary>
        internal const int NoEntry = -2;

        /// <summary>The longest text of a number value (<see cref="Format"/>).</summary>
        internal const int MaxNumberText = 48;

        internal string Name => source.Name;

        /// <summary>How the column's values become text.</summary>
        internal ValueKind Kind => _kind;

        /// <summary>A decimal column's scale (0 for any other).</summary>
        internal int Scale => _kind == ValueKind.Decimal ? _scale : 0;

        /// <summary>The entries of the current chunk's dictionary (0 when it has none).</summary>
        internal int Entries => _dictCount;

        /// <summary>Row <paramref name="row"/>'s dictionary entry, <see cref="NoEntry"/>, or <see cref="Null"/>.</summary>
        internal int Entry(int row) => _uniform == Mixed ? _entry[row] : _uniform;

        /// <summary>Whether every row of the chunk is null (a column no row of the row group has a value in).</summary>
        internal bool IsAllNull => _uniform == Null;

        /// <summary>Whether any of <paramref name="count"/> rows from <paramref name="row"/> is null.</summary>
        internal bool AnyNull(int row, int count) => _uniform == Mixed ? _entry.AsSpan(row, count).Contains(Null) : _uniform == Null && count > 0;

        /// <summary>Whether any of <paramref name="count"/> rows from <paramref name="row"/> has a value.</summary>
        internal bool AnyValue(int row, int count) => _uniform == Mixed ? _entry.AsSpan(row, count).ContainsAnyExcept(Null) : _uniform != Null && count > 0;

        /// <summary>A text column's dictionary entry <paramref name="entry"/>, as text.</summary>
        internal ReadOnlySpan<byte> EntryText(int entry) => _bytes.AsSpan(_dictStart[entry], _dictEnd[entry] - _dictStart[entry]);

        /// <summary>Row <paramref name="row"/>'s value in a number column, as stored (a boolean is 0 or 1); meaningless for a null.</summary>
        internal long Number(int row) => _number[row];

        /// <summary>The <see cref="Entry"/> of <paramref name="count"/> rows from <paramref name="row"/>.</summary>
        internal ReadOnlySpan<int> EntriesOf(int row, int count) => _uniform == Mixed ? _entry.AsSpan(row, count) : Repeated(_uniform, count);

        /// <summary>The <see cref="Number"/> of <paramref name="count"/> rows from <paramref name="row"/>, in a number column.</summary>
        internal ReadOnlySpan<long> NumbersOf(int row, int count) => _number.AsSpan(row, count);

        /// <summary>Row <paramref name="row"/>'s value as text; empty for null. A number column writes it into <paramref name="scratch"/> (<see cref="MaxNumberText"/> bytes).</summary>
        internal ReadOnlySpan<byte> Text(int row, Span<byte> scratch) => Entry(row) switch
        {
            Null => default,
            _ when _kind != ValueKind.Text => scratch[..Format(_number[row], scratch)],
            >= 0 and var entry => EntryText(entry),
            _ => _bytes.AsSpan(_start[row], _end[row] - _start[row]),
        };

        /// <summary>Decodes one chunk (its bytes from the file, dictionary page first) holding <paramref name="rows"/> rows.</summary>
        internal void Decode(ReadOnlySpan<byte> chunk, CompressionCodec codec, int rows)
        {
            if (_entry.Length < rows)
            {
                // Not cleared: every row's entry is written before it is read (or the chunk stays uniform and none is),
                // and pages of it that no row writes are never touched.
                _entry = GC.AllocateUninitializedArray<int>(rows);
                // A text column's value bounds are sized only when a plain page comes (ReadDataPage): dictionary pages, as
                // nearly every text column has, need the entry numbers alone, and a large row group would otherwise hold
                // two unused numbers a row in each of its text columns.
                if (_kind != ValueKind.Text)
                {
                    _number = GC.AllocateUninitializedArray<long>(rows); // a null's number is meaningless, so never cleared either
                }
            }
            _rows = 0;
            _uniform = Unset;
            _length = 0;
            _dictCount = 0;
            var position = 0;
            while (_rows < rows)
            {
                var header = PageHeaders.Read(chunk, ref position);
                var body = chunk.Slice(position, header.CompressedSize);
                position += header.CompressedSize;
                switch (header.Type)
                {
                    case PageType.DICTIONARY_PAGE:
                        ReadDictionary(Page(body, codec, header.UncompressedSize, []), header.Values);
                        break;
                    case PageType.DATA_PAGE:
                        ReadDataPage(Page(body, codec, header.UncompressedSize, []), header, levelBytes: -1);
                        break;
                    case PageType.DATA_PAGE_V2:
                        // Levels come first and are never compressed; the values after them are, unless the page says not.
                        var levels = header.DefinitionLevelsLength + header.RepetitionLevelsLength;
                        var page = Page(body[levels..], header.IsCompressed ? codec : CompressionCodec.UNCOMPRESSED, header.UncompressedSize - levels, body[..levels]);
                        ReadDataPage(page, header, levelBytes: header.DefinitionLevelsLength);
                        break;
                    default:
                        break; // an index page: nothing to read
                }
                if (position >= chunk.Length && _rows < rows)
                {
                    throw new InvalidDataException($"The column '{source.Name}' holds fewer values than its row group's rows.");
                }
            }
            if (_uniform == Unset)
            {
                _uniform = Null; // no rows
            }
        }

        /// <summary>
        /// Whether rows from <paramref name="first"/> on, all with entry <paramref name="value"/>, keep the chunk uniform
        /// (nothing to write); otherwise the chunk is <see cref="Mixed"/> from here on, and the caller writes their entries.
        /// </summary>
        private bool StaysUniform(int first, int value)
        {
            if (_uniform == Unset || _uniform == value)
            {
                _uniform = value;
                return true;
            }
            Mix(first);
            return false;
        }

        /// <summary>Makes the chunk <see cref="Mixed"/> before rows from <paramref name="first"/> on are written: the rows before get the entry they all had.</summary>
        private void Mix(int first)
        {
            if (_uniform != Mixed)
            {
                _entry.AsSpan(0, first).Fill(_uniform);
                _uniform = Mixed;
            }
        }

        /// <summary><paramref name="count"/> entries of <paramref name="value"/> (<see cref="Null"/> or <see cref="NoEntry"/>), read only.</summary>
        private static ReadOnlySpan<int> Repeated(int value, int count)
        {
            ref var cache = ref value == Null ? ref s_nulls : ref s_plain;
            var entries = Volatile.Read(ref cache);
            if (entries.Length < count)
            {
                // Filled before it is shared, never written after: any thread may read whichever array it finds.
                entries = new int[Math.Max(count, 1 << 14)];
                entries.AsSpan().Fill(value);
                Volatile.Write(ref cache, entries);
            }
            return entries.AsSpan(0, count);
        }

        private static int[] s_nulls = [];
        private static int[] s_plain = [];

        /// <summary>
        /// A page, its levels and decompressed values, appended to the value bytes: its text values are then read where
        /// they are, never copied. <see cref="_pageStart"/> is where it starts.
        /// </summary>
        private ReadOnlySpan<byte> Page(ReadOnlySpan<byte> body, CompressionCodec codec, int size, ReadOnlySpan<byte> levels)
        {
            _pageStart = _length;
            Room(ref _bytes, _length + levels.Length + Math.Max(size, body.Length));
            levels.CopyTo(_bytes.AsSpan(_length));
            var target = _bytes.AsSpan(_length + levels.Length);
            int written;
            if (codec == CompressionCodec.UNCOMPRESSED)
            {
                body.CopyTo(target);
                written = body.Length;
            }
            else
            {
                written = Snappier.Snappy.Decompress(body, target[..size]);
            }
            _length += levels.Length + written;
            return _bytes.AsSpan(_pageStart, levels.Length + written);
        }

        private void ReadDictionary(ReadOnlySpan<byte> page, int count)
        {
            if (_dictStart.Length < count)
            {
                _dictStart = new int[count];
                _dictEnd = new int[count];
                _dictNumber = new long[count];
            }
            var position = 0;
            for (var i = 0; i < count; i++)
            {
                if (_kind == ValueKind.Text)
                {
                    (_dictStart[i], _dictEnd[i]) = Plain(page, ref position);
                }
                else
                {
                    _dictNumber[i] = PlainNumber(page, ref position);
                }
            }
            _dictCount = count;
        }

        /// <param name="page">The page, levels and values decompressed.</param>
        /// <param name="header">Its header.</param>
        /// <param name="levelBytes">For a version 2 page, the definition levels' length (no length prefix); -1 for version 1.</param>
        private void ReadDataPage(ReadOnlySpan<byte> page, in PageHeaders.Header header, int levelBytes)
        {
            var count = header.Values;
            var position = 0;
            if (levelBytes >= 0)
            {
                position = header.RepetitionLevelsLength; // flat columns have none, but a writer may still write an empty run
            }
            var present = count;
            if (_optional)
            {
                int length;
                if (levelBytes >= 0)
                {
                    length = levelBytes;
                }
                else
                {
                    length = BinaryPrimitives.ReadInt32LittleEndian(page[position..]);
                    position += 4;
                }
                var levels = page.Slice(position, length);
                position += length;
                // A page of nulls only or of values only (as most are) has its levels as one run: they are not read one
                // by one, and a level is read below only on a page with both (present neither 0 nor count).
                present = Hybrid.OneRun(levels, count);
                if (present < 0)
                {
                    Room(ref _levels, count);
                    Hybrid.Read(levels, 1, _levels.AsSpan(0, count));
                    present = 0;
                    foreach (var level in _levels.AsSpan(0, count))
                    {
                        present += level;
                    }
                }
            }
            var nulls = present != count;
            var values = page[position..];
            _pageStart += position; // where the values start in the value bytes
            var first = _rows;
            if (present == 0)
            {
                // A page of nulls only (as an optional column mostly is): nothing to decode.
                if (!StaysUniform(first, Null))
                {
                    _entry.AsSpan(first, count).Fill(Null);
                }
            }
            else if (header.Encoding is Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY && present == count)
            {
                // Every row has a value: the indices are the rows' entries, decoded in place and checked at once.
                Mix(first);
                var entries = _entry.AsSpan(first, count);
                if (count > 0)
                {
                    Hybrid.Read(values[1..], values[0], entries);
                }
                if (count > 0 && (_dictCount == 0 || entries.ContainsAnyExceptInRange(0, _dictCount - 1)))
                {
                    throw new InvalidDataException($"The column '{source.Name}' refers to a dictionary entry it does not have.");
                }
                if (_kind != ValueKind.Text)
                {
                    var numbers = _number.AsSpan(first, count);
                    var dictionary = _dictNumber.AsSpan(0, _dictCount);
                    for (var i = 0; i < numbers.Length; i++)
                    {
                        numbers[i] = dictionary[entries[i]];
                    }
                }
            }
            else if (header.Encoding is Encoding.PLAIN_DICTIONARY or Encoding.RLE_DICTIONARY)
            {
                Mix(first);
                Room(ref _indices, present);
                if (present > 0)
                {
                    Hybrid.Read(values[1..], values[0], _indices.AsSpan(0, present));
                }
                var v = 0;
                for (var i = 0; i < count; i++)
                {
                    if (nulls && _levels[i] == 0)
                    {
                        SetNull(first + i);
                        continue;
                    }
                    var entry = _indices[v++];
                    if ((uint)entry >= (uint)_dictCount)
                    {
                        throw new InvalidDataException($"The column '{source.Name}' refers to a dictionary entry it does not have.");
                    }
                    // A text value is found by its entry (Text), so only a number is copied out.
                    _entry[first + i] = entry;
                    if (_kind != ValueKind.Text)
                    {
                        _number[first + i] = _dictNumber[entry];
                    }
                }
            }
            else if (_type == global::Parquet.Meta.Type.BOOLEAN)
            {
                // PLAIN booleans are bit-packed; RLE ones carry a length, then runs of one bit.
                Room(ref _indices, present);
                if (header.Encoding == Encoding.RLE)
                {
                    Hybrid.Read(values.Slice(4, BinaryPrimitives.ReadInt32LittleEndian(values)), 1, _indices.AsSpan(0, present));
                }
                else
                {
                    for (var i = 0; i < present; i++)
                    {
                        _indices[i] = (values[i >> 3] >> (i & 7)) & 1;
                    }
                }
                var uniform = present == count && StaysUniform(first, NoEntry);
                if (!uniform)
                {
                    Mix(first);
                }
                var v = 0;
                for (var i = 0; i < count; i++)
                {
                    if (nulls && _levels[i] == 0)
                    {
                        SetNull(first + i);
                        continue;
                    }
                    if (!uniform)
                    {
                        _entry[first + i] = NoEntry;
                    }
                    _number[first + i] = _indices[v++];
                }
            }
            else if (header.Encoding == Encoding.PLAIN && _kind != ValueKind.Text)
            {
                ReadPlainNumbers(values, first, count, present);
            }
            else if (header.Encoding == Encoding.PLAIN)
            {
                Mix(first);
                if (_kind == ValueKind.Text && _start.Length < _entry.Length)
                {
                    _start = GC.AllocateUninitializedArray<int>(_entry.Length);
                    _end = GC.AllocateUninitializedArray<int>(_entry.Length);
                }
                var at = 0;
                for (var i = 0; i < count; i++)
                {
                    if (nulls && _levels[i] == 0)
                    {
                        SetNull(first + i);
                        continue;
                    }
                    _entry[first + i] = NoEntry;
                    if (_kind == ValueKind.Text)
                    {
                        (_start[first + i], _end[first + i]) = Plain(values, ref at);
                    }
                    else
                    {
                        _number[first + i] = PlainNumber(values, ref at);
                    }
                }
            }
            else
            {
                throw new InvalidDataException($"The column '{source.Name}' has a page encoded as {header.Encoding}, which this reader does not decode.");
            }
            _rows += count;
        }

        private void SetNull(int row) => _entry[row] = Null;

        /// <summary>
        /// A PLAIN page of numbers (dates, decimals, integers): <paramref name="present"/> values of the column's width back
        /// to back, read at once rather than one parse a value; a date is checked to be one, as <see cref="PlainNumber"/> does.
        /// </summary>
        private void ReadPlainNumbers(ReadOnlySpan<byte> values, int first, int count, int present)
        {
            var width = _type switch
            {
                global::Parquet.Meta.Type.INT32 => 4,
                global::Parquet.Meta.Type.INT64 => 8,
                _ => throw new InvalidDataException($"The column '{source.Name}' is of a type this reader does not decode."),
            };
            if ((long)present * width > values.Length)
            {
                throw new InvalidDataException($"The column '{source.Name}' has a value past the end of its page.");
            }
            var numbers = _number.AsSpan(first, count);
            var entries = _entry.AsSpan(first, count);
            if (present == count)
            {
                if (!StaysUniform(first, NoEntry))
                {
                    entries.Fill(NoEntry);
                }
                if (width == 4)
                {
                    var stored = MemoryMarshal.Cast<byte, int>(values[..(count * 4)]);
                    for (var i = 0; i < numbers.Length; i++)
                    {
                        numbers[i] = BitConverter.IsLittleEndian ? stored[i] : BinaryPrimitives.ReverseEndianness(stored[i]);
                    }
                }
                else
                {
                    var stored = MemoryMarshal.Cast<byte, long>(values[..(count * 8)]);
                    for (var i = 0; i < numbers.Length; i++)
                    {
                        numbers[i] = BitConverter.IsLittleEndian ? stored[i] : BinaryPrimitives.ReverseEndianness(stored[i]);
                    }
                }
            }
            else
            {
                Mix(first);
                var levels = _levels.AsSpan(0, count);
                var at = 0;
                for (var i = 0; i < numbers.Length; i++)
                {
                    if (levels[i] == 0)
                    {
                        entries[i] = Null;
                        continue;
                    }
                    entries[i] = NoEntry;
                    numbers[i] = width == 4 ? BinaryPrimitives.ReadInt32LittleEndian(values[at..]) : BinaryPrimitives.ReadInt64LittleEndian(values[at..]);
                    at += width;
                }
            }
            if (_kind == ValueKind.Date)
            {
                var min = long.MaxValue;
                var max = long.MinValue;
                for (var i = 0; i < numbers.Length; i++)
                {
                    // A null holds no number (its slot is never written): it is checked as the first day. A page without
                    // nulls may have left its entries unwritten (the chunk uniform), so they are read only when it has some.
                    var day = present != count && entries[i] == Null ? MinDate : numbers[i];
                    min = Math.Min(min, day);
                    max = Math.Max(max, day);
                }
                if (min < MinDate || max > MaxDate)
                {
                    throw new InvalidDataException($"The column '{source.Name}' holds a day outside the calendar.");
                }
            }
        }

        /// <summary>Reads one PLAIN text value at <paramref name="position"/> of the page's values: where it is in the value bytes.</summary>
        private (int Start, int End) Plain(ReadOnlySpan<byte> values, ref int position)
        {
            if (_type != global::Parquet.Meta.Type.BYTE_ARRAY)
            {
                throw new InvalidDataException($"The column '{source.Name}' is of a type this reader does not decode.");
            }
            var length = BinaryPrimitives.ReadInt32LittleEndian(values[position..]);
            if ((uint)length > (uint)(values.Length - position - 4))
            {
                throw new InvalidDataException($"The column '{source.Name}' has a value longer than its page.");
            }
            var start = _pageStart + position + 4;
            position += 4 + length;
            return (start, start + length);
        }

        /// <summary>Reads one PLAIN number at <paramref name="position"/> of the page's values; a date is checked to be one.</summary>
        private long PlainNumber(ReadOnlySpan<byte> values, ref int position)
        {
            long number;
            switch (_type)
            {
                case global::Parquet.Meta.Type.INT32:
                    number = BinaryPrimitives.ReadInt32LittleEndian(values[position..]);
                    position += 4;
                    break;
                case global::Parquet.Meta.Type.INT64:
                    number = BinaryPrimitives.ReadInt64LittleEndian(values[position..]);
                    position += 8;
                    break;
                default:
                    throw new InvalidDataException($"The column '{source.Name}' is of a type this reader does not decode.");
            }
            if (_kind == ValueKind.Date && (number < MinDate || number > MaxDate))
            {
                throw new InvalidDataException($"The column '{source.Name}' holds a day outside the calendar.");
            }
            return number;
        }

        /// <summary>A number as the text the decoder reads: an ISO date, a decimal with its scale, an integer, <c>true</c> or <c>false</c>.</summary>
        private int Format(long value, Span<byte> text)
        {
            switch (_kind)
            {
                case ValueKind.Boolean:
                    var word = value != 0 ? "true"u8 : "false"u8;
                    word.CopyTo(text);
                    return word.Length;
                case ValueKind.Date:
                    var date = DateOnly.FromDayNumber(checked((int)(value + UnixEpochDay)));
                    date.TryFormat(text, out var written, "yyyy-MM-dd", CultureInfo.InvariantCulture);
                    return written;
                case ValueKind.Decimal when _scale > 0:
                    var magnitude = value < 0 ? (ulong)(-(value + 1)) + 1 : (ulong)value;
                    new decimal((int)(uint)magnitude, (int)(uint)(magnitude >> 32), 0, value < 0, (byte)_scale)
                        .TryFormat(text, out written, default, CultureInfo.InvariantCulture);
                    return written;
                default:
                    value.TryFormat(text, out written, default, CultureInfo.InvariantCulture);
                    return written;
            }
        }

        private static void Room<T>(ref T[] array, int size)
        {
            if (array.Length < size)
            {
                // Not cleared: what is read of it is written first (page bytes, levels, indices).
                var grown = GC.AllocateUninitializedArray<T>(Math.Max(size, array.Length * 2));
                array.CopyTo(grown, 0);
                array = grown;
            }
        }
    }

    /// <summary>The day number of 1970-01-01, where Parquet counts dates from.</summary>
    internal static readonly int UnixEpochDay = new DateOnly(1970, 1, 1).DayNumber;

    /// <summary>The first and last days a calendar date can be, as Parquet counts them.</summary>
    private static readonly long MinDate = DateOnly.MinValue.DayNumber - UnixEpochDay, MaxDate = DateOnly.MaxValue.DayNumber - UnixEpochDay;

    /// <summary>The RLE / bit-packing hybrid Parquet uses for levels and dictionary indices.</summary>
    private static class Hybrid
    {
        /// <summary>
        /// When levels of bit width 1 are one run of one value for all <paramref name="count"/> rows, how many rows have a
        /// value (0 or <paramref name="count"/>); otherwise -1, and they are read one by one.
        /// </summary>
        internal static int OneRun(ReadOnlySpan<byte> data, int count)
        {
            if (data.IsEmpty)
            {
                return -1;
            }
            var position = 0;
            var header = VarInt(data, ref position);
            if ((header & 1) != 0 || header >> 1 < count || position >= data.Length)
            {
                return -1;
            }
            return data[position] switch
            {
                0 => 0,
                1 => count,
                _ => -1,
            };
        }

        internal static void Read(ReadOnlySpan<byte> data, int bitWidth, Span<int> output)
        {
            var position = 0;
            var written = 0;
            var bytesPerValue = (bitWidth + 7) / 8;
            var mask = bitWidth == 32 ? -1 : (1 << bitWidth) - 1;
            while (written < output.Length)
            {
                var header = VarInt(data, ref position);
                if ((header & 1) == 0)
                {
                    var run = (int)Math.Min(header >> 1, output.Length - written);
                    var value = 0;
                    for (var b = 0; b < bytesPerValue; b++)
                    {
                        value |= data[position + b] << (8 * b);
                    }
                    position += bytesPerValue;
                    output.Slice(written, run).Fill(value);
                    written += run;
                }
                else
                {
                    var values = (int)(header >> 1) * 8;
                    var end = position + ((values * bitWidth) + 7) / 8;
                    var last = Math.Min(end, data.Length); // bytes past the run, or past the data, read as zeros
                    var take = Math.Min(values, output.Length - written);
                    var bit = (long)position * 8;
                    for (var i = 0; i < take; i++, bit += bitWidth)
                    {
                        // A value is at most 32 bits from any bit of a byte: one 8-byte read holds it.
                        var at = (int)(bit >> 3);
                        var word = at + 8 <= last ? BinaryPrimitives.ReadUInt64LittleEndian(data[at..]) : Tail(data, at, last);
                        output[written++] = (int)((word >> (int)(bit & 7)) & (uint)mask);
                    }
                    position = end;
                }
            }
        }

        /// <summary>The bytes from <paramref name="at"/> to <paramref name="last"/> as a little-endian word, zeros after.</summary>
        private static ulong Tail(ReadOnlySpan<byte> data, int at, int last)
        {
            ulong word = 0;
            for (var b = 0; b < 8 && at + b < last; b++)
            {
                word |= (ulong)data[at + b] << (8 * b);
            }
            return word;
        }

        private static long VarInt(ReadOnlySpan<byte> data, ref int position)
        {
            long result = 0;
            for (var shift = 0; ; shift += 7)
            {
                var b = data[position++];
                result |= (long)(b & 0x7F) << shift;
                if ((b & 0x80) == 0)
                {
                    return result;
                }
            }
        }
    }
}

/// <summary>Page headers, in Thrift's compact protocol: the few fields a flat column's pages need; the rest skipped.</summary>
internal static class PageHeaders
{
    internal readonly record struct Header(
        PageType Type, int UncompressedSize, int CompressedSize, int Values, Encoding Encoding,
        int DefinitionLevelsLength, int RepetitionLevelsLength, bool IsCompressed);

    internal static Header Read(ReadOnlySpan<byte> data, ref int position)
    {
        PageType type = default;
        int uncompressed = 0, compressed = 0, values = 0, definition = 0, repetition = 0;
        var encoding = Encoding.PLAIN;
        var isCompressed = true;
        short last = 0;
        while (Field(data, ref position, ref last, out var kind) is var id and not 0)
        {
            switch (id, kind)
            {
                case (1, I32): type = (PageType)ZigZag(data, ref position); break;
                case (2, I32): uncompressed = ZigZag(data, ref position); break;
                case (3, I32): compressed = ZigZag(data, ref position); break;
                case (5 or 7 or 8, Struct):
                    // Data page (v1), dictionary page, data page v2: the value count first, then the fields each names.
                    short inner = 0;
                    while (Field(data, ref position, ref inner, out var innerKind) is var f and not 0)
                    {
                        switch (id, f, innerKind)
                        {
                            case (_, 1, I32): values = ZigZag(data, ref position); break;
                            case (5 or 7, 2, I32): encoding = (Encoding)ZigZag(data, ref position); break;
                            case (8, 4, I32): encoding = (Encoding)ZigZag(data, ref position); break;
                            case (8, 5, I32): definition = ZigZag(data, ref position); break;
                            case (8, 6, I32): repetition = ZigZag(data, ref position); break;
                            case (8, 7, True or False): isCompressed = innerKind == True; break;
                            default: Skip(data, ref position, innerKind); break;
                        }
                    }
                    break;
                default:
                    Skip(data, ref position, kind);
                    break;
            }
        }
        if (compressed < 0 || uncompressed < 0 || values < 0 || position + compressed > data.Length)
        {
            throw new InvalidDataException("A page header is damaged.");
        }
        return new Header(type, uncompressed, compressed, values, encoding, definition, repetition, isCompressed);
    }

    private const int True = 1, False = 2, Byte = 3, I16 = 4, I32 = 5, I64 = 6, Double = 7, Binary = 8, List = 9, Set = 10, Map = 11, Struct = 12;

    /// <summary>The next field's id (0 at the struct's end) and type.</summary>
    private static short Field(ReadOnlySpan<byte> data, ref int position, ref short last, out int kind)
    {
        var header = data[position++];
        kind = header & 0x0F;
        if (kind == 0)
        {
            return 0;
        }
        var delta = header >> 4;
        last = delta != 0 ? (short)(last + delta) : (short)ZigZag(data, ref position);
        return last;
    }

    private static void Skip(ReadOnlySpan<byte> data, ref int position, int kind)
    {
        switch (kind)
        {
            case True or False:
                break;
            case Byte:
                position++;
                break;
            case I16 or I32 or I64:
                VarLong(data, ref position);
                break;
            case Double:
                position += 8;
                break;
            case Binary:
                var length = (int)VarLong(data, ref position); // read before adding: position moves past the length first
                position += length;
                break;
            case List or Set:
                var header = data[position++];
                var size = header >> 4;
                if (size == 15)
                {
                    size = (int)VarLong(data, ref position);
                }
                var element = header & 0x0F;
                for (var i = 0; i < size; i++)
                {
                    if (element is True or False)
                    {
                        position++; // in a list, a boolean is a byte of its own
                    }
                    else
                    {
                        Skip(data, ref position, element);
                    }
                }
                break;
            case Map:
                var entries = (int)VarLong(data, ref position);
                if (entries > 0)
                {
                    var types = data[position++];
                    for (var i = 0; i < entries; i++)
                    {
                        Skip(data, ref position, types >> 4);
                        Skip(data, ref position, types & 0x0F);
                    }
                }
                break;
            case Struct:
                short last = 0;
                while (Field(data, ref position, ref last, out var inner) != 0)
                {
                    Skip(data, ref position, inner);
                }
                break;
            default:
                throw new InvalidDataException("A page header is damaged.");
        }
    }

    private static int ZigZag(ReadOnlySpan<byte> data, ref int position)
    {
        var v = VarLong(data, ref position);
        return checked((int)((v >> 1) ^ -(v & 1)));
    }

    private static long VarLong(ReadOnlySpan<byte> data, ref int position)
    {
        long result = 0;
        for (var shift = 0; shift < 64; shift += 7)
        {
            var b = data[position++];
            result |= (long)(b & 0x7F) << shift;
            if ((b & 0x80) == 0)
            {
                return result;
            }
        }
        throw new InvalidDataException("A page header is damaged.");
    }
}
