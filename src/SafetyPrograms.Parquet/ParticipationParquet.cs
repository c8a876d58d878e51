using System.Globalization;
using Parquet;
using Parquet.Schema;
using SafetyPrograms.Aggregation;
using NodaTime;
using SafetyPrograms.Domain;
using SafetyPrograms.Ingest;
using SafetyPrograms.Serialization;
using SafetyPrograms.Utility;

namespace SafetyPrograms.Parquet;

/// <summary>
/// Participation records as Apache Parquet: one column per participation field, named as the CSV columns
/// (<see cref="ParticipationCsv.Columns"/>), in that order.
/// </summary>
/// <remarks>
/// <para>The schema: <c>beneficiary</c>, <c>activity</c>, <c>role</c>, <c>sex</c>, <c>ageBand</c> and <c>mode</c> are
/// required UTF-8 strings, the enums by their interchange names (<c>student</c>, <c>10-14</c>); <c>date</c> is a
/// required DATE; <c>completed</c> a required BOOLEAN; <c>school</c> an optional string; <c>preScore</c> and
/// <c>postScore</c> optional DECIMAL(18,4), held in 64-bit integers, so every score the store can hold (four decimal
/// places, at most 1e9 in size) is written exactly; <c>age</c> and <c>yearOfBirth</c> optional INT32; and the twelve
/// Washington Group answer columns (<c>seeing</c> to <c>makingFriends</c>) optional strings, by the answers' interchange
/// names. Required and optional columns are those of the CSV contract. Text columns are dictionary-encoded (a dictionary
/// page a row group, then each value by its entry number), unless a column's values hardly repeat, and pages are Snappy-compressed. Row groups hold up to
/// <see cref="RowGroupRecords"/> records: large, as Parquet advises, so that a reader decodes and looks up each
/// dictionary entry (an activity, a school) for many rows, while the writer holds one row group's values at once.</para>
/// <para>Reading takes any Parquet file whose columns are named as the participation fields (any order, other types
/// than ours read by their value, as for any source); see <see cref="ParquetSource"/>. Thread-safe.</para>
/// </remarks>
public static partial class ParticipationParquet
{
    /// <summary>The records a row group holds, at most (the last row group of a file holds the rest).</summary>
    public const int RowGroupRecords = 1 << 20;

    /// <summary>Scores are written with this many decimal places: the store's own precision.</summary>
    public const int ScoreScale = 4;

    private static readonly DataField[] Fields = [.. ParticipationColumns.Names.Select(Field)];

    /// <summary>A column's field, by the one column list: its type by what it holds, nullable exactly when the column is optional.</summary>
    private static DataField Field(string name, int column)
    {
        var optional = ParticipationColumns.IsOptional(column);
        return column switch
        {
            ParticipationColumns.Date => new DataField<DateOnly>(name, optional),
            ParticipationColumns.Completed => new DataField<bool>(name, optional),
            ParticipationColumns.PreScore or ParticipationColumns.PostScore =>
                new DecimalDataField(name, 18, ScoreScale, forceByteArrayEncoding: false, isNullable: optional),
            ParticipationColumns.Age or ParticipationColumns.YearOfBirth => new DataField<int>(name, optional),
            _ => new DataField<string>(name, optional),
        };
    }

    /// <summary>The file schema, its columns in <see cref="ParticipationCsv.Columns"/> order.</summary>
    public static ParquetSchema Schema { get; } = new(Fields);

    /// <summary>Writes records as a Parquet file of the documented schema.</summary>
    /// <param name="stream">Where to write: writable and seekable; not closed.</param>
    /// <param name="records">The records.</param>
    /// <param name="cancellationToken">Checked between row groups.</param>
    /// <returns>How many records were written.</returns>
    /// <exception cref="ArgumentNullException">An argument or a record is null.</exception>
    /// <exception cref="ArgumentException">A record's score has more than four decimal places or is over 1e14 in size:
    /// the file could not hold it exactly, and nothing is rounded (the message gives the record's position, not its values).</exception>
    public static long Write(Stream stream, IEnumerable<ParticipationRecord> records, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(stream);
        Preconditions.CheckNotNull(records);
        return WriteAsync(stream, records, cancellationToken).GetAwaiter().GetResult();
    }

    private static Task<long> WriteAsync(Stream stream, IEnumerable<ParticipationRecord> records, CancellationToken cancellationToken) =>
        WriteAsync(stream, records, null, cancellationToken);

    private static Task<long> WriteAsync(Stream stream, IEnumerable<ParticipationRecord> records, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
        WriteAsync(stream, records, metadata, RowGroupRecords, cancellationToken);

    private static async Task<long> WriteAsync(
        Stream stream, IEnumerable<ParticipationRecord> records, IReadOnlyDictionary<string, string>? metadata, int rowGroupRecords, CancellationToken cancellationToken)
    {
        await using var file = await FileWriter.CreateAsync(stream, metadata, rowGroupRecords, cancellationToken).ConfigureAwait(false);
        foreach (var record in records)
        {
            Preconditions.CheckNotNull(record, nameof(records));
            await file.AddAsync(record).ConfigureAwait(false);
        }
        await file.FinishAsync().ConfigureAwait(false);
        return file.Written;
    }

    /// <summary>The key of the file metadata entry saying in what order the records are (<see cref="StoreOrder"/>).</summary>
    public const string OrderKey = "safetyprograms.order";

    /// <summary>
    /// The value of <see cref="OrderKey"/> in a file written from a store: records by the hash of their beneficiary key,
    /// each beneficiary's together, the order a store's queries need. A store reading such a file checks the order as rows
    /// arrive (never trusting the entry) and, when it holds, skips its first query's sort.
    /// </summary>
    public const string StoreOrder = "beneficiary-key-hash";

    /// <summary>A Parquet file being written, a row group at a time: memory holds one row group, whatever the file's size.</summary>
    private sealed class FileWriter : IAsyncDisposable
    {
        private readonly ParquetWriter _writer;
        private readonly RowGroup _group;
        private readonly CancellationToken _cancellationToken;

        private FileWriter(ParquetWriter writer, int rowGroupRecords, CancellationToken cancellationToken)
        {
            _writer = writer;
            _cancellationToken = cancellationToken;
            _group = new RowGroup(rowGroupRecords);
        }

        /// <summary>The records added so far.</summary>
        internal long Written { get; private set; }

        /// <param name="stream">Where to write.</param>
        /// <param name="metadata">Key-value metadata for the footer, or null.</param>
        /// <param name="cancellationToken">Checked between row groups.</param>
        internal static Task<FileWriter> CreateAsync(Stream stream, IReadOnlyDictionary<string, string>? metadata, CancellationToken cancellationToken) =>
            CreateAsync(stream, metadata, RowGroupRecords, cancellationToken);

        /// <param name="stream">Where to write.</param>
        /// <param name="metadata">Key-value metadata for the footer, or null.</param>
        /// <param name="rowGroupRecords">The records a row group holds: <see cref="RowGroupRecords"/> but in tests of files of many row groups.</param>
        /// <param name="cancellationToken">Checked between row groups.</param>
        internal static async Task<FileWriter> CreateAsync(
            Stream stream, IReadOnlyDictionary<string, string>? metadata, int rowGroupRecords, CancellationToken cancellationToken)
        {
            var options = new ParquetOptions { CompressionMethod = CompressionMethod.Snappy, UseDateOnlyTypeForDates = true };
            // Parquet.Net 6 writes text as plain values unless a column asks for a dictionary: every text column does, so
            // that a reader decodes each distinct value once a row group (it still falls back to plain values for a
            // column whose values hardly repeat).
            foreach (var field in Fields.OfType<DataField<string>>())
            {
                options.ColumnEncodingHints[field.Path.ToString()] = EncodingHint.Dictionary;
            }
            var writer = await ParquetWriter.CreateAsync(Schema, stream, options, cancellationToken: cancellationToken).ConfigureAwait(false);
            if (metadata is not null)
            {
                writer.CustomMetadata = metadata;
            }
            return new FileWriter(writer, rowGroupRecords, cancellationToken);
        }

        internal async ValueTask AddAsync(ParticipationRecord record)
        {
            _group.Add(record, Written);
            Written++;
            if (_group.Count == _group.Capacity)
            {
                await _group.WriteAsync(_writer, _cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Writes the row group so far, if it has any records, before it is full.</summary>
        internal async Task EndRowGroupAsync()
        {
            if (_group.Count > 0)
            {
                await _group.WriteAsync(_writer, _cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Writes the last row group: an empty one for a file of no records, so that it still has its schema.</summary>
        internal async Task FinishAsync()
        {
            if (_group.Count > 0 || Written == 0)
            {
                await _group.WriteAsync(_writer, _cancellationToken).ConfigureAwait(false);
            }
        }

        /// <summary>Writes the footer.</summary>
        public ValueTask DisposeAsync() => _writer.DisposeAsync();
    }

    /// <summary>
    /// Writes every record a store holds as a Parquet file of the documented schema: read back
    /// (<see cref="AppendParquet"/>) into a store of the same dataset, it gives the same answers to every query.
    /// </summary>
    /// <remarks>
    /// <para>Beneficiaries are written by the keys the store holds (already pseudonymous), records in the store's query
    /// order (by beneficiary), each with what the store keeps of it: a record whose age was given is written with that age
    /// at its date, one known by its year of birth with that year, each with the age band of today's list; a record
    /// known only by its band, with the band. The answers a beneficiary gave (the first set recorded) are
    /// written on each of their records; the school only where it is not the activity's own.</para>
    /// <para>Sorts the store as its first query would, if no query has yet. Safe while other threads query the store;
    /// not while they append to it.</para>
    /// </remarks>
    /// <param name="stream">Where to write: writable and seekable; not closed.</param>
    /// <param name="store">The store.</param>
    /// <param name="cancellationToken">Checked between row groups.</param>
    /// <returns>How many records were written: the store's <see cref="ParticipationStore.Count"/>.</returns>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    public static long WriteStore(Stream stream, ParticipationStore store, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(stream);
        Preconditions.CheckNotNull(store);
        return WriteAsync(stream, StoreRecords(store), new Dictionary<string, string> { [OrderKey] = StoreOrder }, cancellationToken).GetAwaiter().GetResult();
    }

    /// <summary>Writes records with key-value metadata: a file that claims what it wants, for tests of what a reader trusts.</summary>
    internal static long Write(Stream stream, IEnumerable<ParticipationRecord> records, IReadOnlyDictionary<string, string> metadata) =>
        WriteAsync(stream, records, metadata, default).GetAwaiter().GetResult();

    /// <summary>Writes records in row groups of the given size: files of many row groups from few records, for tests of readers.</summary>
    internal static long Write(Stream stream, IEnumerable<ParticipationRecord> records, int rowGroupRecords) =>
        WriteAsync(stream, records, null, Preconditions.CheckPositive(rowGroupRecords), default).GetAwaiter().GetResult();

    /// <summary>
    /// Writes records in row groups of the given sizes, one after another (the last size for any records after them):
    /// files whose row groups grow and shrink, for tests of readers that reuse their buffers from row group to row group.
    /// </summary>
    internal static long Write(Stream stream, IEnumerable<ParticipationRecord> records, IReadOnlyList<int> rowGroupSizes) =>
        WriteInGroupsAsync(stream, records, rowGroupSizes).GetAwaiter().GetResult();

    private static async Task<long> WriteInGroupsAsync(Stream stream, IEnumerable<ParticipationRecord> records, IReadOnlyList<int> rowGroupSizes)
    {
        await using var file = await FileWriter.CreateAsync(stream, null, rowGroupSizes.Max(), default).ConfigureAwait(false);
        var (group, inGroup) = (0, 0);
        foreach (var record in records)
        {
            await file.AddAsync(record).ConfigureAwait(false);
            if (++inGroup == rowGroupSizes[Math.Min(group, rowGroupSizes.Count - 1)])
            {
                await file.EndRowGroupAsync().ConfigureAwait(false);
                (group, inGroup) = (group + 1, 0);
            }
        }
        await file.FinishAsync().ConfigureAwait(false);
        return file.Written;
    }

    /// <summary>The store's records in query order, rebuilt from its columns one at a time.</summary>
    internal static IEnumerable<ParticipationRecord> StoreRecords(ParticipationStore store)
    {
        var columns = store.Sorted();
        var index = store.Lookup;
        var activities = index.ActivityIds.Select(id => new Id<Activity>(id)).ToArray();
        var schools = index.SchoolIds.Select(id => new Id<School>(id)).ToArray();
        var keys = new Dictionary<int, BeneficiaryKey>();
        for (var i = 0; i < columns.Count; i++)
        {
            var ben = columns.Beneficiary[i];
            var context = columns.Context[i];
            var activity = columns.ContextActivity[context];
            var school = columns.ContextSchool[context];
            // Records of one beneficiary are adjacent in query order: one key object serves them all.
            if (i == 0 || columns.Beneficiary[i - 1] != ben)
            {
                keys.Clear();
            }
            if (!keys.TryGetValue(ben, out var key))
            {
                key = new BeneficiaryKey(columns.Beneficiaries.KeyOf(ben));
                keys[ben] = key;
            }
            yield return Record(
                key, activities[activity], columns.Day[i], columns.Flags[i], columns.Age[i],
                school >= 0 && school != index.ActivitySchool[activity] ? schools[school] : null,
                Score(columns, columns.Pre[i]), Score(columns, columns.Post[i]), columns.PersonAnswers[ben]);
        }
    }

    /// <summary>
    /// A record from what a store keeps of it (or a checked row, in the same codes): one whose age was given is written
    /// with that age at its date, one known by its year of birth with that year, each with the age band of today's list;
    /// one known only by its band, with the band.
    /// </summary>
    private static ParticipationRecord Record(
        BeneficiaryKey key, Id<Activity> activity, int day, byte flags, byte ageCode, Id<School>? school, decimal? pre, decimal? post, ulong answers)
    {
        var date = LocalDate.FromDateOnly(DateOnly.FromDayNumber(ParticipationStore.DayBase + day));
        int? age = AgeCodes.IsAge(ageCode) ? ageCode : null;
        // A record known by its year of birth keeps it: its age at the date is uncertain by a year, as it was read.
        int? born = !AgeCodes.IsAge(ageCode) && AgeCodes.Band(ageCode) is null && AgeCodes.Range(ageCode) is { } reached ? date.Year - reached.Last : null;
        var band = AgeCodes.ListBand(ageCode) ?? AgeBand.NotRecorded;
        return new ParticipationRecord(
            key, activity, date,
            (BeneficiaryRole)(flags & 7), (Sex)((flags >> 3) & 3), band, (DeliveryMode)((flags >> 5) & 3), (flags & 0x80) != 0,
            school, pre, post, age, born, FunctioningAnswers.FromPacked(answers));
    }

    /// <summary>A score from its code in the store: code 0 is "no score".</summary>
    private static decimal? Score(in ParticipationStore.Columns columns, ushort code) =>
        code == 0 ? null : columns.ScoreValues[code] / (decimal)ParticipationStore.ScoreScale;

    /// <summary>Appends a Parquet file of participation records to a store, through the one row pipeline.</summary>
    /// <param name="store">The store.</param>
    /// <param name="stream">The file: readable and seekable; not closed.</param>
    /// <param name="fileName">The file name, for the report and messages.</param>
    /// <param name="options">Column names and pseudonymisation, as for any source; <c>null</c> for the default.</param>
    /// <param name="cancellationToken">Checked between batches.</param>
    /// <returns>What was accepted and rejected; "lines" are record numbers in the file, from 1 (<c>record 12</c>).</returns>
    /// <exception cref="ArgumentNullException"><paramref name="store"/> or <paramref name="stream"/> is null.</exception>
    /// <exception cref="DataFormatException">The file is not Parquet or its footer is damaged, or its columns do not fit
    /// the participation fields (the message names each problem), or a column has a type no participation field can
    /// take; nothing was added.</exception>
    /// <exception cref="DataFormatException">A page is damaged (the message names the row group and column); nothing was added.</exception>
    public static IngestReport AppendParquet(
        this ParticipationStore store, Stream stream, string? fileName = null, ParticipationSourceOptions? options = null, CancellationToken cancellationToken = default)
    {
        Preconditions.CheckNotNull(store);
        return store.Append(new ParquetSource(stream, fileName), options, cancellationToken);
    }

    /// <summary>
    /// One row group's columns, filled record by record. The arrays grow as records come, up to the row group's size, so
    /// that a small file does not cost a full row group's memory.
    /// </summary>
    private sealed class RowGroup
    {
        /// <summary>The records the arrays hold at first.</summary>
        private const int FirstSize = 4096;

        private readonly string[][] _text = new string[6][];
        private DateOnly[] _date = [];
        private bool[] _completed = [];
        private string?[] _school = [];
        private decimal?[] _pre = [];
        private decimal?[] _post = [];
        private int?[] _age = [];
        private int?[] _born = [];
        private readonly string?[][] _answers = new string?[Domains.Length][];

        /// <summary>The functioning domains, in column order (from <see cref="ParticipationColumns.FirstFunctioning"/>).</summary>
        private static readonly FunctioningDomain[] Domains = Enum.GetValues<FunctioningDomain>();

        internal RowGroup(int capacity)
        {
            Capacity = capacity;
            Grow();
        }

        /// <summary>The records a row group holds at most.</summary>
        internal int Capacity { get; }

        internal int Count { get; private set; }

        /// <summary>Room for one more record: every array twice as long, up to <see cref="Capacity"/>.</summary>
        private void Grow()
        {
            var size = (int)Math.Min(Capacity, _date.Length == 0 ? FirstSize : 2L * _date.Length);
            for (var t = 0; t < _text.Length; t++)
            {
                Array.Resize(ref _text[t], size);
            }
            for (var d = 0; d < _answers.Length; d++)
            {
                Array.Resize(ref _answers[d], size);
            }
            Array.Resize(ref _date, size);
            Array.Resize(ref _completed, size);
            Array.Resize(ref _school, size);
            Array.Resize(ref _pre, size);
            Array.Resize(ref _post, size);
            Array.Resize(ref _age, size);
            Array.Resize(ref _born, size);
        }

        internal void Add(ParticipationRecord r, long position)
        {
            var i = Count;
            if (i == _date.Length)
            {
                Grow();
            }
            _text[0][i] = r.Beneficiary.Value;
            _text[1][i] = r.Activity.Value;
            _text[2][i] = Name(r.Role);
            _text[3][i] = Name(r.Sex);
            _text[4][i] = Name(r.AgeBand);
            _text[5][i] = Name(r.Mode);
            _date[i] = r.Date.ToDateOnly();
            _completed[i] = r.Completed;
            _school[i] = r.School?.Value;
            _pre[i] = Exact(r.PreScore, position, "pre");
            _post[i] = Exact(r.PostScore, position, "post");
            _age[i] = r.Age;
            _born[i] = r.YearOfBirth;
            var answers = r.Functioning();
            for (var d = 0; d < Domains.Length; d++)
            {
                _answers[d][i] = ParticipationFields.AnswerName(answers, Domains[d]);
            }
            Count = i + 1;
        }

        internal async Task WriteAsync(ParquetWriter writer, CancellationToken cancellationToken)
        {
            cancellationToken.ThrowIfCancellationRequested();
            var n = Count;
            using var group = writer.CreateRowGroup();
            await group.WriteAsync(Fields[0], new ArraySegment<string>(_text[0], 0, n)).ConfigureAwait(false);
            await group.WriteAsync(Fields[1], new ArraySegment<string>(_text[1], 0, n)).ConfigureAwait(false);
            await group.WriteAsync<DateOnly>(Fields[2], new ReadOnlyMemory<DateOnly>(_date, 0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var t = 2; t < 6; t++)
            {
                await group.WriteAsync(Fields[t + 1], new ArraySegment<string>(_text[t], 0, n)).ConfigureAwait(false);
            }
            await group.WriteAsync<bool>(Fields[7], new ReadOnlyMemory<bool>(_completed, 0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync(Fields[8], new ArraySegment<string>(_school!, 0, n)).ConfigureAwait(false);
            await group.WriteAsync<decimal>(Fields[9], new ReadOnlyMemory<decimal?>(_pre, 0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<decimal>(Fields[10], new ReadOnlyMemory<decimal?>(_post, 0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(Fields[ParticipationColumns.Age], new ReadOnlyMemory<int?>(_age, 0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            await group.WriteAsync<int>(Fields[ParticipationColumns.YearOfBirth], new ReadOnlyMemory<int?>(_born, 0, n), cancellationToken: cancellationToken).ConfigureAwait(false);
            for (var d = 0; d < Domains.Length; d++)
            {
                await group.WriteAsync(Fields[ParticipationColumns.FirstFunctioning + d], new ArraySegment<string>(_answers[d]!, 0, n)).ConfigureAwait(false);
            }
            Count = 0;
        }

        private static string Name<TEnum>(TEnum value)
            where TEnum : struct, Enum =>
            EnumNames<TEnum>.TryGetName(value, out var name) ? name : throw new ArgumentOutOfRangeException(nameof(value), value, "Not a defined value.");

        /// <summary>A score the file holds exactly, or the refusal of the record.</summary>
        private static decimal? Exact(decimal? score, long position, string which)
        {
            if (score is not { } s)
            {
                return null;
            }
            var scaled = s * 10_000m;
            if (scaled != decimal.Truncate(scaled) || Math.Abs(s) >= 100_000_000_000_000m)
            {
                throw new ArgumentException(
                    string.Create(CultureInfo.InvariantCulture, $"Record {position + 1:N0}: its {which} score has more than {ScoreScale} decimal places or is over 1e14 in size; a participation Parquet file holds scores exactly to {ScoreScale} places, as the store does."),
                    nameof(score));
            }
            return s;
        }
    }
}
