using System.Reflection;
using SafetyPrograms.Domain;

namespace SafetyPrograms.Tests.PublicApi;

/// <summary>
/// The public surface of the package is a promise to everyone who references it. This snapshot makes any change to it
/// visible in review: when the change is intended, regenerate the file (set SAFETYPROGRAMS_UPDATE_API=1 and rerun).
/// </summary>
public class PublicApiTests
{
    private static readonly string ApprovedPath = Path.Combine(RepositoryPaths.Root, "tests", "SafetyPrograms.Tests", "PublicApi", "SafetyPrograms.approved.txt");

    [Fact]
    public void PublicApi_MatchesApprovedSnapshot()
    {
        var actual = PublicApiListing.For(typeof(ProgrammeDataset).Assembly);
        if (Environment.GetEnvironmentVariable("SAFETYPROGRAMS_UPDATE_API") == "1")
        {
            File.WriteAllText(ApprovedPath, actual);
        }
        var approved = File.Exists(ApprovedPath) ? File.ReadAllText(ApprovedPath).ReplaceLineEndings("\n") : "";
        Assert.True(
            approved == actual,
            $"The public API changed. If intended, run the tests with SAFETYPROGRAMS_UPDATE_API=1 and commit {ApprovedPath}.\n"
            + FirstDifference(approved, actual));
    }

    private static string FirstDifference(string approved, string actual)
    {
        var a = approved.Split('\n');
        var b = actual.Split('\n');
        var removed = a.Except(b).Take(10).Select(l => "- " + l);
        var added = b.Except(a).Take(10).Select(l => "+ " + l);
        return string.Join('\n', removed.Concat(added));
    }
}

/// <summary>A stable, sorted text listing of every public type and member of an assembly.</summary>
internal static class PublicApiListing
{
    private const BindingFlags Declared = BindingFlags.Public | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    public static string For(Assembly assembly)
    {
        var lines = new List<string>();
        foreach (var type in assembly.GetExportedTypes())
        {
            var name = Name(type);
            lines.Add($"{Kind(type)} {name}{BaseList(type)}");
            foreach (var member in type.GetMembers(Declared))
            {
                if (Describe(member) is { } text)
                {
                    lines.Add($"  {name}::{text}");
                }
            }
        }
        lines.Sort(StringComparer.Ordinal);
        return string.Join('\n', lines) + "\n";
    }

    private static string Kind(Type t) =>
        t.IsEnum ? "enum" : t.IsInterface ? "interface" : t.IsValueType ? "struct" : t.IsAbstract && t.IsSealed ? "static class" : t.IsSealed ? "sealed class" : t.IsAbstract ? "abstract class" : "class";

    private static string BaseList(Type t)
    {
        var parts = new List<string>();
        if (t.BaseType is { } b && b != typeof(object) && b != typeof(ValueType) && b != typeof(Enum))
        {
            parts.Add(Name(b));
        }
        parts.AddRange(t.GetInterfaces().Where(i => i.IsPublic || i.IsNestedPublic).Select(Name).Order(StringComparer.Ordinal));
        return parts.Count == 0 ? "" : " : " + string.Join(", ", parts);
    }

    private static string? Describe(MemberInfo m) => m switch
    {
        ConstructorInfo c => $"ctor({Parameters(c)})",
        MethodInfo { IsSpecialName: true } mi when !mi.Name.StartsWith("op_", StringComparison.Ordinal) => null,
        MethodInfo mi => $"{(mi.IsStatic ? "static " : "")}{Name(mi.ReturnType)} {mi.Name}{Generic(mi)}({Parameters(mi)})",
        PropertyInfo p => $"{(p.GetMethod?.IsStatic == true ? "static " : "")}{Name(p.PropertyType)} {p.Name} {{{(p.GetMethod?.IsPublic == true ? " get;" : "")}{(p.SetMethod?.IsPublic == true ? (p.SetMethod.ReturnParameter.GetRequiredCustomModifiers().Any(x => x.Name == "IsExternalInit") ? " init;" : " set;") : "")} }}",
        FieldInfo f => $"{(f.IsLiteral ? "const " : f.IsStatic ? "static " : "")}{Name(f.FieldType)} {f.Name}",
        EventInfo e => $"event {Name(e.EventHandlerType!)} {e.Name}",
        Type nested => $"nested {Name(nested)}",
        _ => null,
    };

    private static string Generic(MethodInfo m) =>
        m.IsGenericMethodDefinition ? "<" + string.Join(", ", m.GetGenericArguments().Select(a => a.Name)) + ">" : "";

    private static string Parameters(MethodBase m) =>
        string.Join(", ", m.GetParameters().Select(p => $"{Name(p.ParameterType)} {p.Name}{(p.HasDefaultValue ? " = " + (p.DefaultValue ?? "null") : "")}"));

    private static string Name(Type t)
    {
        if (t.IsGenericParameter)
        {
            return t.Name;
        }
        if (Nullable.GetUnderlyingType(t) is { } u)
        {
            return Name(u) + "?";
        }
        if (t.IsArray)
        {
            return Name(t.GetElementType()!) + "[]";
        }
        if (t.IsByRef)
        {
            return "ref " + Name(t.GetElementType()!);
        }
        var name = t.IsNested ? Name(t.DeclaringType!) + "." + t.Name : t.Namespace + "." + t.Name;
        if (!t.IsGenericType)
        {
            return name;
        }
        var tick = name.IndexOf('`', StringComparison.Ordinal);
        var bare = tick < 0 ? name : name[..tick];
        return bare + "<" + string.Join(", ", t.GetGenericArguments().Select(Name)) + ">";
    }
}
