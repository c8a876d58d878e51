using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>One category of a table dimension, such as a school, a district or <c>girl</c>, with its parent in a hierarchy.</summary>
/// <remarks>Immutable and thread-safe; equality is by value.</remarks>
internal sealed record TableCategory
{
    /// <summary>Creates a category.</summary>
    /// <param name="code">The code shown in published tables, such as <c>PK-PB</c> or <c>girl</c>.</param>
    /// <param name="parent">The code of the parent category (a school's district), or <c>null</c> for a top-level category.</param>
    /// <exception cref="ArgumentNullException"><paramref name="code"/> is null.</exception>
    /// <exception cref="ArgumentException">A code is empty or white space, or the category is its own parent.</exception>
    public TableCategory(string code, string? parent = null)
    {
        Code = Preconditions.CheckNotBlank(code);
        Preconditions.CheckArgument(parent is null || !string.IsNullOrWhiteSpace(parent), nameof(parent), "A parent code must not be empty.");
        Preconditions.CheckArgument(parent != code, nameof(parent), $"The category '{code}' cannot be its own parent.");
        Parent = parent;
    }

    /// <summary>The category's code.</summary>
    public string Code { get; }

    /// <summary>The parent category's code, or <c>null</c> for a top-level category.</summary>
    public string? Parent { get; }
}

/// <summary>
/// One dimension of a publication table (geography, sex, age band), with its categories and how they nest.
/// </summary>
/// <remarks>
/// <para>Categories form a tree: a category without a parent is top-level; the leaves (categories without children)
/// are where the table's cells are counted, and every other category is a subtotal of its children. When there is
/// one top-level category (a country at the top of school &gt; district &gt; province &gt; country) it is the
/// dimension's total; otherwise the total is an implicit category coded <see cref="TotalCode"/>.</para>
/// <para>Immutable and thread-safe.</para>
/// </remarks>
internal sealed class TableDimension
{
    /// <summary>The code of a dimension's implicit total; no category may use it.</summary>
    public const string TotalCode = "total";

    private readonly Dictionary<string, int> _nodeIndex;

    /// <summary>Creates a dimension.</summary>
    /// <param name="name">The dimension's name, such as <c>geography</c> or <c>sex</c>: letters, digits, <c>-</c> and <c>_</c>.</param>
    /// <param name="categories">The categories, parents before or after their children.</param>
    /// <param name="allowEmpty">
    /// Whether no categories is allowed: the dimension of an empty table, which has only its total. Off by default, so
    /// that a table built by hand with no categories is refused.
    /// </param>
    /// <exception cref="ArgumentNullException">An argument is null.</exception>
    /// <exception cref="ArgumentException">
    /// The name is not valid, there are no categories (unless allowed), a code is repeated or is <see cref="TotalCode"/>,
    /// a parent is not one of the categories, or parents form a cycle.
    /// </exception>
    public TableDimension(string name, IEnumerable<TableCategory> categories, bool allowEmpty = false)
    {
        Preconditions.CheckNotBlank(name);
        Preconditions.CheckArgument(
            name.All(c => char.IsAsciiLetterOrDigit(c) || c is '-' or '_'), nameof(name),
            $"'{name}' is not a dimension name: use letters, digits, '-' and '_'.");
        Name = name;
        Categories = ValueList<TableCategory>.From(Preconditions.CheckNotNull(categories), nameof(categories));
        Preconditions.CheckArgument(allowEmpty || Categories.Count > 0, nameof(categories), $"The dimension '{name}' has no categories.");

        var children = new Dictionary<string, List<string>>(StringComparer.Ordinal);
        var roots = new List<string>();
        foreach (var category in Categories)
        {
            Preconditions.CheckArgument(category.Code != TotalCode, nameof(categories), $"'{TotalCode}' is reserved for the dimension's total.");
            Preconditions.CheckArgument(
                children.TryAdd(category.Code, []), nameof(categories), $"The category '{category.Code}' appears twice in '{name}'.");
        }
        foreach (var category in Categories)
        {
            if (category.Parent is null)
            {
                roots.Add(category.Code);
            }
            else
            {
                Preconditions.CheckArgument(
                    children.TryGetValue(category.Parent, out var siblings), nameof(categories),
                    $"The parent '{category.Parent}' of '{category.Code}' is not a category of '{name}'.");
                siblings.Add(category.Code);
            }
        }
        Preconditions.CheckArgument(roots.Count > 0 || Categories.Count == 0, nameof(categories), $"The categories of '{name}' form a cycle.");

        // Nodes in pre-order from the total, so a parent always comes before its children.
        var codes = new List<string>();
        var parents = new List<int>();
        var stack = new Stack<(string Code, int Parent)>();
        if (roots.Count == 1)
        {
            stack.Push((roots[0], -1));
        }
        else
        {
            codes.Add(TotalCode);
            parents.Add(-1);
            for (var i = roots.Count - 1; i >= 0; i--)
            {
                stack.Push((roots[i], 0));
            }
        }
        while (stack.Count > 0)
        {
            var (code, parent) = stack.Pop();
            var index = codes.Count;
            codes.Add(code);
            parents.Add(parent);
            var kids = children[code];
            for (var i = kids.Count - 1; i >= 0; i--)
            {
                stack.Push((kids[i], index));
            }
        }
        Preconditions.CheckArgument(
            codes.Count == Categories.Count + (roots.Count == 1 ? 0 : 1), nameof(categories), $"The categories of '{name}' form a cycle.");

        NodeCodes = [.. codes];
        NodeParents = [.. parents];
        var nodeChildren = new List<int>[NodeCodes.Length];
        for (var i = 0; i < nodeChildren.Length; i++)
        {
            nodeChildren[i] = [];
        }
        for (var i = 1; i < NodeParents.Length; i++)
        {
            nodeChildren[NodeParents[i]].Add(i);
        }
        NodeChildren = [.. nodeChildren.Select(c => c.ToArray())];
        _nodeIndex = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < NodeCodes.Length; i++)
        {
            _nodeIndex[NodeCodes[i]] = i;
        }
    }

    /// <summary>The dimension's name.</summary>
    public string Name { get; }

    /// <summary>The categories, as given.</summary>
    public IReadOnlyList<TableCategory> Categories { get; }

    /// <summary>The code of the dimension's total: its single top-level category, or <see cref="TotalCode"/>.</summary>
    public string Total => NodeCodes[0];

    /// <summary>Node codes in pre-order: the total first, each parent before its children.</summary>
    internal string[] NodeCodes { get; }

    /// <summary>Each node's parent, -1 for the total.</summary>
    internal int[] NodeParents { get; }

    /// <summary>Each node's children; empty for a leaf.</summary>
    internal int[][] NodeChildren { get; }

    /// <summary>Whether <paramref name="code"/> is a leaf category, where cells are counted.</summary>
    /// <param name="code">A category code.</param>
    /// <returns><c>true</c> for a category without children.</returns>
    public bool IsLeaf(string code) => _nodeIndex.TryGetValue(code, out var i) && NodeChildren[i].Length == 0;

    internal int IndexOf(string code) => _nodeIndex.TryGetValue(code, out var i) ? i : -1;
}
