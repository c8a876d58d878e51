using SafetyPrograms.Privacy;

namespace SafetyPrograms.Tests.Privacy;

/// <summary>
/// A reader with three published tables of one log of students and teachers: everyone by province and sex, students by
/// province and sex, teachers by district and sex. Their own model, independent of the library's: unknowns are students
/// by (province, sex) and teachers by (district, sex), each non-negative, and every published figure of every table is
/// the sum of the unknowns under it. Returns the range of each hidden figure of the three tables.
/// </summary>
internal static class RolesAttacker
{
    internal static Dictionary<PublishedFigure, (double Low, double High)> Attack(PublishedTable everyone, PublishedTable students, PublishedTable teachers)
    {
        var provinces = Leaves(everyone.Dimensions[0]);
        var sexes = Leaves(everyone.Dimensions[1]);
        var districts = Leaves(teachers.Dimensions[0]);
        var unknowns = new List<(bool Teacher, string Place, string Sex)>();
        unknowns.AddRange(provinces.SelectMany(p => sexes.Select(s => (false, p, s))));
        unknowns.AddRange(districts.SelectMany(d => Leaves(teachers.Dimensions[1]).Select(s => (true, d, s))));

        // Whether an unknown counts towards a figure of a table, given which unknowns the table covers.
        bool Under(PublishedTable table, PublishedFigure figure, (bool Teacher, string Place, string Sex) u, bool? teacherOnly)
        {
            if (teacherOnly is { } t && t != u.Teacher)
            {
                return false;
            }
            var place = table == teachers || !u.Teacher ? u.Place : teachers.Dimensions[0].ParentOf(u.Place)!;
            return Within(table.Dimensions[0], place, figure.Coordinates[0]) && Within(table.Dimensions[1], u.Sex, figure.Coordinates[1]);
        }

        var rows = new List<double[]>();
        var rhs = new List<double>();
        foreach (var (table, teacherOnly) in new[] { (everyone, (bool?)null), (students, false), (teachers, true) })
        {
            foreach (var figure in table.Figures.Where(f => f.Value is not null))
            {
                rows.Add([.. unknowns.Select(u => Under(table, figure, u, teacherOnly) ? 1.0 : 0.0)]);
                rhs.Add(figure.Value!.Value);
            }
        }
        var hidden = new[] { (everyone, (bool?)null), (students, false), (teachers, true) }
            .SelectMany(t => t.Item1.Figures.Where(f => f.IsSuppressed).Select(f => (Table: t.Item1, Figure: f, TeacherOnly: t.Item2))).ToList();
        // One extra variable per hidden figure: y − Σ unknowns under it = 0.
        var width = unknowns.Count + hidden.Count;
        var extended = rows.Select(r => (double[])[.. r, .. new double[hidden.Count]]).ToList();
        for (var k = 0; k < hidden.Count; k++)
        {
            var row = new double[width];
            row[unknowns.Count + k] = 1;
            for (var v = 0; v < unknowns.Count; v++)
            {
                if (Under(hidden[k].Table, hidden[k].Figure, unknowns[v], hidden[k].TeacherOnly))
                {
                    row[v] = -1;
                }
            }
            extended.Add(row);
            rhs.Add(0);
        }
        var region = FeasibleRegion.Create(extended, rhs, width) ?? throw new InvalidOperationException("The published tables contradict each other.");
        return hidden.Select((h, k) => (h.Figure, k)).ToDictionary(
            p => p.Figure,
            p => (region.Extreme(unknowns.Count + p.k, maximise: false, out _), region.Extreme(unknowns.Count + p.k, maximise: true, out _)));
    }

    private static string[] Leaves(PublishedDimension dimension) => [.. dimension.Categories.Where(dimension.IsLeaf)];

    /// <summary>Whether a leaf lies within a category: the category itself, an ancestor, or the dimension's total.</summary>
    private static bool Within(PublishedDimension dimension, string leaf, string code)
    {
        for (string? c = leaf; c is not null; c = dimension.ParentOf(c))
        {
            if (c == code)
            {
                return true;
            }
        }
        return code == dimension.Total;
    }
}
