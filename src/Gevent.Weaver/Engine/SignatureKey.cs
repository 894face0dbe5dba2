using System.Linq;
using System.Text;
using Mono.Cecil;

namespace Gevent.Weaver;

/// <summary>
/// Spells a type in a signature by name and position only, never by assembly scope: the same BCL
/// type is referenced through <c>System.Runtime</c>, <c>netstandard</c> or <c>mscorlib</c>, and a
/// generic parameter is <c>!n</c> (of the type) or <c>!!n</c> (of the method) whatever its name.
/// </summary>
internal static class SignatureKey
{
    /// <summary>The key of <paramref name="type"/>; <paramref name="typeArity"/> generic parameters of a
    /// replacement method stand for the original's declaring type's (they become <c>!n</c>).</summary>
    public static string Of(TypeReference type, int typeArity = 0)
    {
        var builder = new StringBuilder();
        Append(builder, type, typeArity);
        return builder.ToString();
    }

    /// <summary>The full name of a type without generic arguments (<c>System.Lazy`1</c>).</summary>
    public static string ElementName(TypeReference type) =>
        type is TypeSpecification { ElementType: var element } and not ArrayType and not PointerType and not ByReferenceType
            ? ElementName(element)
            : type.FullName;

    private static void Append(StringBuilder builder, TypeReference type, int typeArity)
    {
        switch (type)
        {
            case GenericParameter parameter:
                var ownedByType = parameter.Type == GenericParameterType.Type || parameter.Position < typeArity;
                builder.Append(ownedByType ? "!" : "!!")
                    .Append(ownedByType ? parameter.Position : parameter.Position - typeArity);
                break;
            case ByReferenceType byReference:
                Append(builder, byReference.ElementType, typeArity);
                builder.Append('&');
                break;
            case PointerType pointer:
                Append(builder, pointer.ElementType, typeArity);
                builder.Append('*');
                break;
            case ArrayType array:
                Append(builder, array.ElementType, typeArity);
                builder.Append('[').Append(',', array.Rank - 1).Append(']');
                break;
            case GenericInstanceType instance:
                Append(builder, instance.ElementType, typeArity);
                builder.Append('<');
                foreach (var (argument, index) in instance.GenericArguments.Select((a, i) => (a, i)))
                {
                    builder.Append(index == 0 ? "" : ",");
                    Append(builder, argument, typeArity);
                }

                builder.Append('>');
                break;
            case IModifierType modified:
                // in/readonly parameters carry modreq(InAttribute): part of the signature, by name.
                Append(builder, modified.ElementType, typeArity);
                builder.Append(type.IsRequiredModifier ? " modreq(" : " modopt(").Append(modified.ModifierType.FullName).Append(')');
                break;
            default:
                builder.Append(type.FullName);
                break;
        }
    }
}
