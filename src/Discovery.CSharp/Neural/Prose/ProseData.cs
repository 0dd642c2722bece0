using Discovery.Integration;
using Discovery.Systems;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Neural.Prose;

/// <summary>How training and evaluation instances are drawn from the systems zoo.</summary>
/// <param name="Families">Zoo names of the ODE families (3-D chaotic flows by default).</param>
/// <param name="ParameterSpread">Each parameter is its nominal value times a uniform factor in [1 − spread, 1 + spread].</param>
/// <param name="InitialRange">Initial states are uniform in [−range, range]^d.</param>
/// <param name="TimeEnd">The time span is [0, TimeEnd].</param>
/// <param name="Points">Sample times in the span (uniform, both ends included).</param>
/// <param name="ObservedPoints">The first points are observed (model input); the rest are to be predicted.</param>
/// <param name="SymbolNoise">Probability with which each term of the symbol input is dropped, and with which a random term is added to each component.</param>
/// <param name="GuessProbability">Share of instances whose symbol input is a (noisy) guess; the others get <see cref="ProseTokenizer.NoGuess"/>.</param>
/// <param name="BlowUpBound">Trajectories leaving the box |u| ≤ bound (or failing to integrate) are rejected.</param>
/// <param name="MaxSymbolTokens">Instances whose equations need more tokens are rejected.</param>
public sealed record ProseDataOptions(
    IReadOnlyList<string>? Families = null,
    double ParameterSpread = 0.1,
    double InitialRange = 2,
    double TimeEnd = 6,
    int Points = 192,
    int ObservedPoints = 64,
    double SymbolNoise = 0.15,
    double GuessProbability = 0.3,
    double BlowUpBound = 200,
    int MaxSymbolTokens = 200)
{
    /// <summary>The twelve default 3-D chaotic families (all in the zoo).</summary>
    public static IReadOnlyList<string> DefaultFamilies { get; } =
    [
        "lorenz", "rossler", "thomas", "aizawa", "halvorsen", "dadras", "rabinovich-fabrikant", "sprott-b", "sprott-linz-f",
        "four-wing", "chen-lee", "rucklidge",
    ];

    /// <summary>The options of the paper: 12 families, ±10%, [−2, 2]^3, 192 points on [0, 6], 64 observed.</summary>
    public static ProseDataOptions Default { get; } = new();

    /// <summary>The family names in use.</summary>
    public IReadOnlyList<string> FamilyNames => Families ?? DefaultFamilies;

    /// <summary>Points to predict.</summary>
    public int PredictedPoints => Points - ObservedPoints;

    /// <summary>The sample times: Points values from 0 to TimeEnd.</summary>
    public double[] Times() => Enumerable.Range(0, Points).Select(k => TimeEnd * k / (Points - 1)).ToArray();

    /// <summary>Throws ArgumentException for inconsistent options or unknown family names.</summary>
    public void Validate()
    {
        if (FamilyNames.Count == 0) throw new ArgumentException("at least one family is needed");
        foreach (var name in FamilyNames)
        {
            var system = SystemZoo.Find(name) ?? throw new ArgumentException(
                $"no system named '{name}' in the zoo; did you mean {string.Join(" or ", SystemZoo.Suggestions(name))}?");
            if (system.Dimension > ProseTokenizer.MaxVariables)
                throw new ArgumentException($"{name} has {system.Dimension} states; PROSE handles at most {ProseTokenizer.MaxVariables}");
            if (!system.IsAutonomous) throw new ArgumentException($"{name} depends on time explicitly; PROSE families must be autonomous");
        }
        if (!(ParameterSpread >= 0 && ParameterSpread < 1)) throw new ArgumentException("the parameter spread must be in [0, 1)");
        if (!(InitialRange > 0) || !(TimeEnd > 0)) throw new ArgumentException("the initial range and the time span must be positive");
        if (ObservedPoints < 4 || Points <= ObservedPoints) throw new ArgumentException("need at least 4 observed points and some to predict");
        if (!(SymbolNoise >= 0 && SymbolNoise <= 1) || !(GuessProbability >= 0 && GuessProbability <= 1))
            throw new ArgumentException("probabilities must be in [0, 1]");
    }
}

/// <summary>One PROSE instance: a trajectory of a family member, its equations and the symbol input.</summary>
/// <param name="Family">Zoo name of the family.</param>
/// <param name="Times">All sample times (observed then predicted).</param>
/// <param name="States">States at those times, [time, variable].</param>
/// <param name="Equations">Right-hand sides in expanded form over u_0..u_{d-1}, numbers as values.</param>
/// <param name="TargetIds">Token ids of <see cref="Equations"/> (no begin/end markers).</param>
/// <param name="InputIds">Token ids of the symbol input: a noisy guess, or the single <see cref="ProseTokenizer.NoGuess"/>.</param>
public sealed record ProseSample(string Family, double[] Times, double[,] States, IReadOnlyList<Expr> Equations, int[] TargetIds, int[] InputIds)
{
    /// <summary>Number of state variables.</summary>
    public int Dimension => States.GetLength(1);

    /// <summary>True when the symbol input is a guess of the equations.</summary>
    public bool HasGuess => InputIds.Length != 1 || InputIds[0] != ProseTokenizer.Id(ProseTokenizer.NoGuess);
}

/// <summary>
/// Streams PROSE instances from the systems zoo: each draws a family, parameters within the spread of nominal, an
/// initial state in the box, integrates it (Dormand-Prince 5(4)) on the sample times, rejects trajectories that blow up,
/// and writes the equations as tokens with a noisy copy as symbol input. The same seed gives the same stream; nothing is
/// held in memory beyond the instance being built.
/// </summary>
public sealed class ProseDataGenerator
{
    private readonly ProseDataOptions _options;
    private readonly Family[] _families;
    private readonly double[] _times;
    private readonly DormandPrince54 _solver = new(new AdaptiveStepOptions(1e-8, 1e-10, MaxSteps: 200_000));

    /// <summary>Validates the options and compiles each family once. Throws ArgumentException for bad options.</summary>
    public ProseDataGenerator(ProseDataOptions? options = null)
    {
        _options = options ?? ProseDataOptions.Default;
        _options.Validate();
        _families = _options.FamilyNames.Select(name => new Family(SystemZoo.Get(name))).ToArray();
        _times = _options.Times();
    }

    /// <summary>The options in use.</summary>
    public ProseDataOptions Options => _options;

    /// <summary>An endless, deterministic stream of instances for <paramref name="seed"/> (take what you need).</summary>
    public IEnumerable<ProseSample> Samples(int seed)
    {
        var random = new Random(seed);
        while (true)
        {
            var sample = TryDraw(random);
            if (sample is not null) yield return sample;
        }
    }

    /// <summary>
    /// One instance of <paramref name="family"/> drawn with <paramref name="seed"/> (retrying rejected draws); null
    /// when 100 draws in a row blow up. Without a guess unless <paramref name="withGuess"/>.
    /// </summary>
    public ProseSample? Sample(string family, int seed, bool withGuess = false)
    {
        var index = Array.FindIndex(_families, f => string.Equals(f.System.Name, SystemZoo.Get(family).Name, StringComparison.Ordinal));
        if (index < 0) throw new ArgumentException($"'{family}' is not one of this generator's families");
        var random = new Random(seed);
        for (var attempt = 0; attempt < 100; attempt++)
            if (TryDraw(random, index, withGuess) is { } sample) return sample;
        return null;
    }

    private ProseSample? TryDraw(Random random, int? familyIndex = null, bool? withGuess = null)
    {
        var index = familyIndex ?? random.Next(_families.Length);
        var family = _families[index];
        var values = family.System.Parameters
            .Select(p => p.Value * (1 + _options.ParameterSpread * (2 * random.NextDouble() - 1))).ToArray();
        var x0 = Enumerable.Range(0, family.System.Dimension).Select(_ => _options.InitialRange * (2 * random.NextDouble() - 1)).ToArray();
        var guess = withGuess ?? random.NextDouble() < _options.GuessProbability;
        var noiseSeed = random.Next();

        double[,] states;
        try
        {
            states = _solver.Solve(family.Problem(values), x0, _times).States;
        }
        catch (OdeIntegrationException)
        {
            return null;
        }
        foreach (var v in states)
            if (!double.IsFinite(v) || Math.Abs(v) > _options.BlowUpBound) return null;

        var equations = family.Equations(values);
        int[] target;
        try
        {
            target = ProseTokenizer.EncodeIds(equations);
        }
        catch (ArgumentException)
        {
            return null;
        }
        if (target.Length > _options.MaxSymbolTokens) return null;
        var input = guess
            ? ProseTokenizer.EncodeIds(AddSymbolNoise(equations, new Random(noiseSeed), _options.SymbolNoise, family.System.Dimension))
            : [ProseTokenizer.Id(ProseTokenizer.NoGuess)];
        return new ProseSample(family.System.Name, _times, states, equations, target, input);
    }

    /// <summary>
    /// A noisy copy of <paramref name="equations"/>: each term dropped with probability <paramref name="probability"/>
    /// (at least one term stays), and with the same probability a random term (a state, a product or square of states,
    /// or a constant, with a random coefficient) added to each component.
    /// </summary>
    public static IReadOnlyList<Expr> AddSymbolNoise(IReadOnlyList<Expr> equations, Random random, double probability, int dimension)
    {
        var result = new List<Expr>();
        foreach (var equation in equations)
        {
            var terms = ProseTerms.Terms(equation).ToList();
            var kept = terms.Where(_ => random.NextDouble() >= probability).ToList();
            if (kept.Count == 0) kept.Add(terms[random.Next(terms.Count)]);
            if (random.NextDouble() < probability)
            {
                var coefficient = (random.NextDouble() < 0.5 ? -1 : 1) * Math.Pow(10, 2 * random.NextDouble() - 1);
                var i = ExprModule.variable(ProseTokenizer.VariableName(random.Next(dimension)));
                var j = ExprModule.variable(ProseTokenizer.VariableName(random.Next(dimension)));
                var monomial = random.Next(4) switch { 0 => ExprModule.one, 1 => i, _ => ExprModule.multiply(i, j) };
                kept.Add(ExprModule.multiply(ExprModule.approx(Math.Round(coefficient, 2)), monomial));
            }
            result.Add(ExprModule.sum(ListModule.OfSeq(kept)));
        }
        return result;
    }

    /// <summary>A zoo system compiled once: its ODE function takes the parameter values at each call.</summary>
    private sealed class Family
    {
        private readonly OdeFunction _function;

        public Family(DynamicalSystem system)
        {
            System = system;
            var compiled = Compile.ToOdeFunction(system.StateNames.ToArray(), DynamicalSystem.TimeVariable,
                system.Parameters.Select(p => p.Name).ToArray(), system.Equations.Select(e => e.Rhs).ToArray());
            if (compiled.IsError) throw new ArgumentException($"{system.Name} cannot be compiled: {compiled.ErrorValue}");
            _function = compiled.ResultValue;
        }

        public DynamicalSystem System { get; }

        public OdeProblem Problem(double[] values)
        {
            var n = System.Dimension;
            var x = new double[n];
            var dx = new double[n];
            return new OdeProblem(n, (t, state, derivative) =>
            {
                state.CopyTo(x);
                _function.Invoke(t, x, values, dx);
                dx.CopyTo(derivative);
            }, null, true);
        }

        public IReadOnlyList<Expr> Equations(double[] values)
        {
            var bound = System.WithParameters(System.Parameters.Select((p, i) => new KeyValuePair<string, double>(p.Name, values[i])))
                .BoundRightHandSides();
            return bound.Select(rhs =>
            {
                var expanded = Algebra.Expand(rhs);
                for (var i = 0; i < System.Dimension; i++)
                    expanded = ExprModule.substitute(System.StateNames[i], ExprModule.variable(ProseTokenizer.VariableName(i)), expanded);
                return Algebra.Expand(expanded);
            }).ToArray();
        }
    }
}
