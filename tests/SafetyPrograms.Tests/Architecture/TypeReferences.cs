using System.Reflection;
using System.Reflection.Emit;

namespace SafetyPrograms.Tests.Architecture;

/// <summary>
/// Every type a compiled type uses: its base type and interfaces, the types in its members' signatures, its
/// attributes, its methods' locals, and every type, method and field its method bodies name.
/// </summary>
/// <remarks>
/// Read from the compiled assembly rather than from source, so that a fully qualified name, a nested namespace or a
/// lambda's closure class cannot hide a reference. Constants are inlined by the compiler and leave no trace here;
/// the scan of <c>using</c> lines in <see cref="LayerTests"/> covers them.
/// </remarks>
internal static class TypeReferences
{
    private const BindingFlags Declared =
        BindingFlags.Public | BindingFlags.NonPublic | BindingFlags.Instance | BindingFlags.Static | BindingFlags.DeclaredOnly;

    private static readonly Dictionary<short, OpCode> OpCodesByValue = typeof(OpCodes)
        .GetFields(BindingFlags.Public | BindingFlags.Static)
        .Select(f => (OpCode)f.GetValue(null)!)
        .ToDictionary(o => o.Value);

    /// <summary>The types <paramref name="type"/> uses, generic arguments and element types unwrapped.</summary>
    internal static IEnumerable<Type> Of(Type type)
    {
        var used = new HashSet<Type>();
        void Add(Type? t)
        {
            if (t is null || t.IsGenericParameter || !used.Add(t))
            {
                return;
            }
            if (t.HasElementType)
            {
                Add(t.GetElementType());
            }
            if (t.IsGenericType)
            {
                Add(t.GetGenericTypeDefinition());
                foreach (var argument in t.GetGenericArguments())
                {
                    Add(argument);
                }
            }
        }
        void AddAttributes(IEnumerable<CustomAttributeData> attributes)
        {
            foreach (var attribute in attributes)
            {
                Add(attribute.AttributeType);
                foreach (var argument in attribute.ConstructorArguments.Concat(attribute.NamedArguments.Select(a => a.TypedValue)))
                {
                    Add(argument.ArgumentType);
                    Add(argument.Value as Type);
                }
            }
        }

        Add(type.BaseType);
        foreach (var i in type.GetInterfaces())
        {
            Add(i);
        }
        AddAttributes(type.GetCustomAttributesData());
        foreach (var field in type.GetFields(Declared))
        {
            Add(field.FieldType);
            AddAttributes(field.GetCustomAttributesData());
        }
        foreach (var property in type.GetProperties(Declared))
        {
            Add(property.PropertyType);
            AddAttributes(property.GetCustomAttributesData());
        }
        foreach (var method in type.GetMethods(Declared).Cast<MethodBase>().Concat(type.GetConstructors(Declared)))
        {
            if (method is MethodInfo info)
            {
                Add(info.ReturnType);
            }
            AddAttributes(method.GetCustomAttributesData());
            foreach (var parameter in method.GetParameters())
            {
                Add(parameter.ParameterType);
                AddAttributes(parameter.GetCustomAttributesData());
            }
            foreach (var named in InBody(method))
            {
                Add(named);
            }
        }
        return used;
    }

    /// <summary>The types named by the operands of <paramref name="method"/>'s instructions, and of its locals.</summary>
    private static IEnumerable<Type> InBody(MethodBase method)
    {
        var body = method.GetMethodBody();
        if (body is null)
        {
            yield break;
        }
        foreach (var local in body.LocalVariables)
        {
            yield return local.LocalType;
        }
        var il = body.GetILAsByteArray() ?? [];
        var typeArguments = method.DeclaringType is { IsGenericType: true } d ? d.GetGenericArguments() : null;
        var methodArguments = method is MethodInfo { IsGenericMethod: true } ? method.GetGenericArguments() : null;
        for (var at = 0; at < il.Length;)
        {
            var code = il[at] == 0xFE ? OpCodesByValue[(short)(0xFE00 | il[at + 1])] : OpCodesByValue[il[at]];
            at += code.Size;
            switch (code.OperandType)
            {
                case OperandType.InlineMethod or OperandType.InlineField or OperandType.InlineType or OperandType.InlineTok:
                    var member = method.Module.ResolveMember(BitConverter.ToInt32(il, at), typeArguments, methodArguments);
                    if (member is Type named)
                    {
                        yield return named;
                    }
                    else if (member is not null)
                    {
                        yield return member.DeclaringType!;
                        if (member is MethodInfo { IsGenericMethod: true } generic)
                        {
                            foreach (var argument in generic.GetGenericArguments())
                            {
                                yield return argument;
                            }
                        }
                    }
                    at += 4;
                    break;
                case OperandType.InlineSwitch:
                    at += 4 + (4 * BitConverter.ToInt32(il, at));
                    break;
                default:
                    at += OperandSize(code.OperandType);
                    break;
            }
        }
    }

    private static int OperandSize(OperandType operand) => operand switch
    {
        OperandType.InlineNone => 0,
        OperandType.ShortInlineBrTarget or OperandType.ShortInlineI or OperandType.ShortInlineVar => 1,
        OperandType.InlineVar => 2,
        OperandType.InlineI8 or OperandType.InlineR => 8,
        _ => 4,
    };
}
