using SafetyPrograms.Utility;

namespace SafetyPrograms.Privacy;

/// <summary>
/// The figures of a table as one flat array: a figure is one node (category or total) per dimension, and its flat
/// index is the mixed-radix number of those node indexes, the last dimension varying fastest. Also the linear
/// relations a reader can use: each non-leaf node equals the sum of its children, with the other coordinates fixed.
/// </summary>
internal sealed class TableShape
{
    private readonly IReadOnlyList<TableDimension> _dimensions;
    private readonly int[] _strides;

    internal TableShape(IReadOnlyList<TableDimension> dimensions, int maxFigures, string paramName)
    {
        _dimensions = dimensions;
        _strides = new int[dimensions.Count];
        long size = 1;
        for (var d = dimensions.Count - 1; d >= 0; d--)
        {
            _strides[d] = (int)size;
            size *= dimensions[d].NodeCodes.Length;
            Preconditions.CheckArgument(size <= maxFigures, paramName, $"The table would have more than {maxFigures} figures.");
        }
        Size = (int)size;
    }

    internal int Size { get; }

    internal int DimensionCount => _dimensions.Count;

    internal int IndexOf(IReadOnlyList<string> coordinates)
    {
        Preconditions.CheckArgument(
            coordinates.Count == _dimensions.Count, nameof(coordinates), $"A figure has {_dimensions.Count} coordinates, one per dimension.");
        var index = 0;
        for (var d = 0; d < _dimensions.Count; d++)
        {
            var node = _dimensions[d].IndexOf(Preconditions.CheckNotNull(coordinates[d], nameof(coordinates)));
            Preconditions.CheckArgument(
                node >= 0, nameof(coordinates), $"'{coordinates[d]}' is not a category of '{_dimensions[d].Name}'.");
            index += node * _strides[d];
        }
        return index;
    }

    internal int NodeOf(int index, int dimension) => index / _strides[dimension] % _dimensions[dimension].NodeCodes.Length;

    internal string[] CoordinatesOf(int index)
    {
        var codes = new string[_dimensions.Count];
        for (var d = 0; d < codes.Length; d++)
        {
            codes[d] = _dimensions[d].NodeCodes[NodeOf(index, d)];
        }
        return codes;
    }

    internal bool IsMargin(int index)
    {
        for (var d = 0; d < _dimensions.Count; d++)
        {
            if (_dimensions[d].NodeChildren[NodeOf(index, d)].Length > 0)
            {
                return true;
            }
        }
        return false;
    }

    /// <summary>Fills every margin from the leaf cells, one dimension at a time.</summary>
    /// <remarks>Nodes are in pre-order, so children have higher flat indexes than their parent: a descending pass sees them first.</remarks>
    internal void ComputeMargins(long[] values)
    {
        for (var d = 0; d < _dimensions.Count; d++)
        {
            var nodes = _dimensions[d].NodeChildren;
            for (var index = Size - 1; index >= 0; index--)
            {
                var node = NodeOf(index, d);
                if (nodes[node].Length == 0)
                {
                    continue;
                }
                long sum = 0;
                foreach (var child in nodes[node])
                {
                    sum = checked(sum + values[index + (child - node) * _strides[d]]);
                }
                values[index] = sum;
            }
        }
    }

    /// <summary>Every figure a cell counts towards: the cell itself and each margin above it, in every dimension.</summary>
    /// <param name="cell">The flat index of a leaf cell.</param>
    internal List<int> FiguresAbove(int cell)
    {
        var figures = new List<int> { 0 };
        for (var d = 0; d < _dimensions.Count; d++)
        {
            var parents = _dimensions[d].NodeParents;
            var chain = new List<int>();
            for (var node = NodeOf(cell, d); node >= 0; node = parents[node])
            {
                chain.Add(node * _strides[d]);
            }
            figures = [.. figures.SelectMany(f => chain.Select(offset => f + offset))];
        }
        return figures;
    }

    /// <summary>Every published relation: a total and the parts that add up to it.</summary>
    internal List<(int Total, int[] Parts)> Relations()
    {
        var relations = new List<(int, int[])>();
        for (var index = 0; index < Size; index++)
        {
            for (var d = 0; d < _dimensions.Count; d++)
            {
                var node = NodeOf(index, d);
                var children = _dimensions[d].NodeChildren[node];
                if (children.Length > 0)
                {
                    relations.Add((index, [.. children.Select(c => index + (c - node) * _strides[d])]));
                }
            }
        }
        return relations;
    }
}
