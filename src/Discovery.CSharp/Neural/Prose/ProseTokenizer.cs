using System.Globalization;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Neural.Prose;

/// <summary>The result of decoding a token sequence: the components, or why the sequence is not an expression.</summary>
/// <param name="Components">One expression per component (empty when invalid).</param>
/// <param name="Error">Why the sequence does not decode (null when valid).</param>
/// <param name="Position">0-based token index where decoding failed (null when valid).</param>
public sealed record ProseDecoding(IReadOnlyList<Expr> Components, string? Error, int? Position)
{
    /// <summary>True when every component decoded.</summary>
    public bool IsValid => Error is null;
}

/// <summary>
/// The token language of PROSE: each component of a system in prefix (Polish) notation, components separated by
/// <c>|</c>. Sums and products are binary (<c>add</c>, <c>mul</c>, right-nested), small integer powers are unary
/// operators (<c>pow2</c>..<c>pow5</c>, <c>inv</c>, <c>sqrt</c>), other powers <c>pow base exponent</c>; variables are
/// <c>u_0</c>..<c>u_{d-1}</c>; every number is three tokens: a sign (<c>+</c>/<c>-</c>), a 3-digit mantissa
/// (<c>N100</c>..<c>N999</c>, <c>N000</c> for zero) and a decimal exponent (<c>E-10</c>..<c>E10</c>), so 2.5 is
/// <c>+ N250 E0</c> and -0.0314 is <c>- N314 E-2</c>. Pure: encoding rounds numbers to three significant digits; decoding
/// reports malformed sequences in a <see cref="ProseDecoding"/> instead of throwing.
/// </summary>
public static class ProseTokenizer
{
    /// <summary>Padding (id 0).</summary>
    public const string Pad = "<pad>";
    /// <summary>Start of a sequence.</summary>
    public const string Begin = "<bos>";
    /// <summary>End of a sequence.</summary>
    public const string End = "<eos>";
    /// <summary>The symbol input when no guess of the equations is given.</summary>
    public const string NoGuess = "<none>";
    /// <summary>Separator between components.</summary>
    public const string Separator = "|";

    /// <summary>The largest number of state variables the vocabulary names.</summary>
    public const int MaxVariables = 8;

    /// <summary>Smallest and largest decimal exponent of a number token.</summary>
    public const int MinExponent = -10, MaxExponent = 10;

    private static readonly string[] BinaryOperators = ["add", "mul", "pow"];
    private static readonly string[] UnaryFunctions = ["sin", "cos", "exp", "log", "tanh", "abs"];
    private static readonly (string Token, Rational Exponent)[] PowerOperators =
    [
        ("pow2", Rational.OfInt(2)), ("pow3", Rational.OfInt(3)), ("pow4", Rational.OfInt(4)), ("pow5", Rational.OfInt(5)),
        ("inv", Rational.OfInt(-1)), ("sqrt", Rational.Create(1, 2)),
    ];

    private static readonly Lazy<(string[] Tokens, Dictionary<string, int> Ids)> Table = new(BuildVocabulary);

    /// <summary>Every token, by id (id 0 is <see cref="Pad"/>). Fixed by the code, so model files need not store it.</summary>
    public static IReadOnlyList<string> Vocabulary => Table.Value.Tokens;

    /// <summary>Number of tokens.</summary>
    public static int VocabularySize => Table.Value.Tokens.Length;

    /// <summary>The id of <paramref name="token"/>; KeyNotFoundException for a token not in the vocabulary.</summary>
    public static int Id(string token) =>
        Table.Value.Ids.TryGetValue(token, out var id) ? id : throw new KeyNotFoundException($"'{token}' is not a PROSE token");

    /// <summary>The name of variable <paramref name="index"/>: u_0, u_1, ...</summary>
    public static string VariableName(int index) => $"u_{index}";

    /// <summary>
    /// The tokens of a system (no begin/end markers): each component in prefix notation, <c>|</c> between components.
    /// Parameters are written with their values. Throws ArgumentException for what the language cannot express: a
    /// variable not named u_k, an operator outside sin, cos, exp, log, tanh, abs, a placeholder, a number beyond 1e11.
    /// </summary>
    public static IReadOnlyList<string> Encode(IReadOnlyList<Expr> components)
    {
        var tokens = new List<string>();
        for (var i = 0; i < components.Count; i++)
        {
            if (i > 0) tokens.Add(Separator);
            Write(components[i], tokens);
        }
        return tokens;
    }

    /// <summary>Encodes one expression (see <see cref="Encode(IReadOnlyList{Expr})"/>).</summary>
    public static IReadOnlyList<string> Encode(Expr expression) => Encode([expression]);

    /// <summary>The ids of <see cref="Encode(IReadOnlyList{Expr})"/>'s tokens.</summary>
    public static int[] EncodeIds(IReadOnlyList<Expr> components) => Encode(components).Select(Id).ToArray();

    /// <summary>
    /// Decodes tokens (without begin/end markers; a trailing <see cref="End"/> and anything after it is ignored) into
    /// components. Exact integer values come back as exact numbers, others as approximate ones. Never throws.
    /// </summary>
    public static ProseDecoding Decode(IReadOnlyList<string> tokens)
    {
        var end = tokens.ToList().IndexOf(End);
        var list = end >= 0 ? tokens.Take(end).ToArray() : tokens.ToArray();
        var components = new List<Expr>();
        var position = 0;
        if (list.Length == 0) return new ProseDecoding([], "the sequence is empty", 0);
        while (true)
        {
            var (expr, error) = Read(list, ref position);
            if (error is not null) return new ProseDecoding([], error, position);
            components.Add(expr!);
            if (position == list.Length) return new ProseDecoding(components, null, null);
            if (list[position] != Separator)
                return new ProseDecoding([], $"expected '|' or the end after a complete expression, found '{list[position]}'", position);
            position++;
        }
    }

    /// <summary>Decodes token ids (see <see cref="Decode(IReadOnlyList{string})"/>); an unknown id is an error.</summary>
    public static ProseDecoding DecodeIds(IReadOnlyList<int> ids)
    {
        var vocabulary = Table.Value.Tokens;
        for (var i = 0; i < ids.Count; i++)
            if (ids[i] < 0 || ids[i] >= vocabulary.Length) return new ProseDecoding([], $"unknown token id {ids[i]}", i);
        return Decode(ids.Select(i => vocabulary[i]).ToArray());
    }

    /// <summary>
    /// The three tokens of <paramref name="value"/> rounded to three significant digits; magnitudes below 1e-10 are zero.
    /// Throws ArgumentException for NaN, infinities and magnitudes of 1e11 or more.
    /// </summary>
    public static (string Sign, string Mantissa, string Exponent) EncodeNumber(double value)
    {
        if (!double.IsFinite(value)) throw new ArgumentException($"cannot encode {value}");
        var sign = value < 0 ? "-" : "+";
        var magnitude = Math.Abs(value);
        if (magnitude < Math.Pow(10, MinExponent)) return ("+", "N000", "E0");
        var exponent = (int)Math.Floor(Math.Log10(magnitude));
        var mantissa = (int)Math.Round(magnitude / Math.Pow(10, exponent) * 100, MidpointRounding.AwayFromZero);
        if (mantissa >= 1000) { mantissa = 100; exponent++; }
        if (mantissa < 100) { mantissa *= 10; exponent--; }
        if (exponent < MinExponent) return ("+", "N000", "E0");
        if (exponent > MaxExponent) throw new ArgumentException($"{value} is too large for a number token (at most 9.99e{MaxExponent})");
        return (sign, $"N{mantissa:D3}", $"E{exponent.ToString(CultureInfo.InvariantCulture)}");
    }

    /// <summary>The value the three tokens of a number stand for; null when they are not a number.</summary>
    public static double? DecodeNumber(string sign, string mantissa, string exponent)
    {
        if (sign is not ("+" or "-")) return null;
        if (mantissa.Length != 4 || mantissa[0] != 'N' || !int.TryParse(mantissa.AsSpan(1), NumberStyles.None, CultureInfo.InvariantCulture, out var m))
            return null;
        if (exponent.Length < 2 || exponent[0] != 'E' || !int.TryParse(exponent.AsSpan(1), NumberStyles.AllowLeadingSign, CultureInfo.InvariantCulture, out var e)
            || e < MinExponent || e > MaxExponent)
            return null;
        var magnitude = m / 100.0 * Math.Pow(10, e);
        // Round to three significant digits once more so 0.1 * 10^-1 does not come back as 0.010000000000000002.
        if (m > 0) magnitude = double.Parse((m / 100.0 * Math.Pow(10, e)).ToString("G3", CultureInfo.InvariantCulture), CultureInfo.InvariantCulture);
        return sign == "-" ? -magnitude : magnitude;
    }

    private static (string[] Tokens, Dictionary<string, int> Ids) BuildVocabulary()
    {
        var tokens = new List<string> { Pad, Begin, End, NoGuess, Separator, "+", "-" };
        tokens.AddRange(BinaryOperators);
        tokens.AddRange(PowerOperators.Select(p => p.Token));
        tokens.AddRange(UnaryFunctions);
        tokens.AddRange(["pi", "e"]);
        for (var i = 0; i < MaxVariables; i++) tokens.Add(VariableName(i));
        tokens.Add("N000");
        for (var m = 100; m <= 999; m++) tokens.Add($"N{m:D3}");
        for (var e = MinExponent; e <= MaxExponent; e++) tokens.Add($"E{e.ToString(CultureInfo.InvariantCulture)}");
        var array = tokens.ToArray();
        return (array, array.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i, StringComparer.Ordinal));
    }

    private static void WriteNumber(double value, List<string> tokens)
    {
        var (sign, mantissa, exponent) = EncodeNumber(value);
        tokens.Add(sign);
        tokens.Add(mantissa);
        tokens.Add(exponent);
    }

    private static void WriteNary(string op, IReadOnlyList<Expr> operands, List<string> tokens)
    {
        for (var i = 0; i < operands.Count - 1; i++) tokens.Add(op);
        foreach (var operand in operands) Write(operand, tokens);
    }

    private static void Write(Expr e, List<string> tokens)
    {
        switch (e)
        {
            case Expr.Number n: WriteNumber(n.Item.ToFloat(), tokens); break;
            case Expr.Approx a: WriteNumber(a.Item, tokens); break;
            case Expr.Parameter p: WriteNumber(p.value, tokens); break;
            case Expr.Constant c: tokens.Add(c.Item.IsPi ? "pi" : "e"); break;
            case Expr.Variable v:
                if (!Table.Value.Ids.ContainsKey(v.Item) || !v.Item.StartsWith("u_", StringComparison.Ordinal))
                    throw new ArgumentException($"variable '{v.Item}' is not one of u_0..u_{MaxVariables - 1}; rename the states first");
                tokens.Add(v.Item);
                break;
            case Expr.Sum s: WriteNary("add", s.Item.ToArray(), tokens); break;
            case Expr.Product p: WriteNary("mul", p.Item.ToArray(), tokens); break;
            case Expr.Power pw:
            {
                var special = pw.Item2 is Expr.Number exponent ? PowerOperators.FirstOrDefault(o => o.Exponent.Equals(exponent.Item)).Token : null;
                if (special is not null)
                {
                    tokens.Add(special);
                    Write(pw.Item1, tokens);
                }
                else
                {
                    tokens.Add("pow");
                    Write(pw.Item1, tokens);
                    Write(pw.Item2, tokens);
                }
                break;
            }
            case Expr.Apply ap when ap.Item2.Length == 1 && UnaryFunctions.Contains(ap.Item1):
                tokens.Add(ap.Item1);
                Write(ap.Item2.Head, tokens);
                break;
            case Expr.Apply ap:
                throw new ArgumentException($"the operator '{ap.Item1}' has no PROSE token (known: {string.Join(", ", UnaryFunctions)})");
            default:
                throw new ArgumentException($"'{Print.infix(e)}' cannot be written in PROSE tokens");
        }
    }

    private static (Expr? Expr, string? Error) Read(string[] tokens, ref int position)
    {
        if (position >= tokens.Length) return (null, "the sequence ends inside an expression");
        var token = tokens[position];
        switch (token)
        {
            case "+" or "-":
            {
                if (position + 2 >= tokens.Length) return (null, "the sequence ends inside a number");
                var value = DecodeNumber(token, tokens[position + 1], tokens[position + 2]);
                if (value is not { } v) return (null, $"'{token} {tokens[position + 1]} {tokens[position + 2]}' is not a number");
                position += 3;
                return (Math.Abs(v) < 1e6 && v == Math.Round(v) ? ExprModule.number((int)v) : ExprModule.approx(v), null);
            }
            case "pi": position++; return (ExprModule.pi, null);
            case "e": position++; return (ExprModule.e, null);
            case "add" or "mul" or "pow":
            {
                position++;
                var (left, error) = Read(tokens, ref position);
                if (error is not null) return (null, error);
                var (right, error2) = Read(tokens, ref position);
                if (error2 is not null) return (null, error2);
                return (token switch
                {
                    "add" => ExprModule.add(left!, right!),
                    "mul" => ExprModule.multiply(left!, right!),
                    _ => ExprModule.power(left!, right!),
                }, null);
            }
        }
        var power = PowerOperators.FirstOrDefault(o => o.Token == token);
        if (power.Token is not null || UnaryFunctions.Contains(token))
        {
            position++;
            var (argument, error) = Read(tokens, ref position);
            if (error is not null) return (null, error);
            return (power.Token is not null
                ? ExprModule.power(argument!, ExprModule.rational(power.Exponent))
                : ExprModule.apply(token, FSharpList<Expr>.Cons(argument!, FSharpList<Expr>.Empty)), null);
        }
        if (token.StartsWith("u_", StringComparison.Ordinal) && Table.Value.Ids.ContainsKey(token))
        {
            position++;
            return (ExprModule.variable(token), null);
        }
        return (null, token switch
        {
            Separator => "'|' where an expression was expected",
            Begin or Pad or NoGuess => $"'{token}' inside an expression",
            _ when token.StartsWith('N') || token.StartsWith('E') => $"'{token}' outside a number",
            _ => $"unknown token '{token}'",
        });
    }
}
