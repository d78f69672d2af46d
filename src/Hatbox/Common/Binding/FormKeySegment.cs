namespace Hatbox.Common.Binding;

/// <summary>How a form key segment addresses its container.</summary>
internal enum FormSegmentKind
{
    /// <summary>A name (<c>data</c> or <c>[name]</c>): the container is an object.</summary>
    Property,

    /// <summary>A number (<c>[0]</c>): the container is an array ordered by index.</summary>
    Index,

    /// <summary>Empty brackets (<c>[]</c>): a new element at the end of an array.</summary>
    Append,
}

/// <summary>One step of a form key such as <c>data[items][0]</c>.</summary>
internal readonly record struct FormKeySegment(FormSegmentKind Kind, string Name, int Index)
{
    public static FormKeySegment Appended { get; } = new(FormSegmentKind.Append, "", 0);

    public static FormKeySegment Property(string name) => new(FormSegmentKind.Property, name, 0);

    public static FormKeySegment At(int index) => new(FormSegmentKind.Index, "", index);
}
