using System.Diagnostics;
using Discovery.Integration;
using Discovery.SparseRegression;
using Discovery.Systems;
using Symbolic;
using static TorchSharp.torch;

namespace Discovery.Neural.Pinn;

/// <summary>
/// Hidden-term discovery with a physics-informed neural network (the "universal PINN"): part of a differential equation
/// is known, the rest is written as unknown function calls (<c>x' = 1.3*x + h1(x, y)</c>). A surrogate network u(t) (or
/// u(x, t)) and one network per hidden term are trained together on the data misfit and the equation residual at
/// collocation points (derivatives by autograd), with any constants named to fit; each hidden network is then sampled
/// over the states the data visits and distilled into an expression (<see cref="Distillation"/>); the completed equations
/// are solved again and compared with the data.
/// </summary>
public static class HiddenTermPinn
{
    /// <summary>
    /// Parses the equations against the data and runs <see cref="Fit(PinnProblem, PinnData, PinnOptions?, Action{PinnProgress}?, CancellationToken)"/>.
    /// </summary>
    public static PinnResult Fit(IReadOnlyList<string> equations, PinnData data, string time = "t", IReadOnlyList<string>? fit = null,
        PinnOptions? options = null, Action<PinnProgress>? progress = null, CancellationToken cancellationToken = default)
    {
        var columns = new[] { time }.Concat(data.States.Keys).ToList();
        if (data.Space is not null) columns.Add("x");
        var problem = PinnProblem.Parse(equations, columns, time, data.Space is null ? null : "x", fit);
        return Fit(problem, data, options, progress, cancellationToken);
    }

    /// <summary>
    /// Trains, distils and verifies. Seeded: the same problem, data and options give the same result (up to the search's
    /// time limit). A cancelled token stops training (and the search) early; the result keeps what was found and is marked
    /// interrupted. Throws <see cref="ArgumentException"/> for bad options or data that does not match the problem.
    /// </summary>
    public static PinnResult Fit(PinnProblem problem, PinnData data, PinnOptions? options = null, Action<PinnProgress>? progress = null,
        CancellationToken cancellationToken = default)
    {
        options ??= new PinnOptions();
        options.Validate();
        foreach (var s in problem.States)
            if (!data.States.ContainsKey(s)) throw new ArgumentException($"the data has no column '{s}'");
        if ((problem.Kind == PinnKind.Pde) != (data.Space is not null))
            throw new ArgumentException(problem.Kind == PinnKind.Pde ? "a PDE needs data with a space column" : "ODE data must not have a space column");
        TorchRuntime.EnsureLoaded();
        var distillation = options.Distillation ?? new DistillationOptions();

        var trainer = new PinnTrainer(problem, data, options);
        using var model = trainer.Model;
        var training = trainer.Train(progress, cancellationToken);

        var watch = Stopwatch.StartNew();
        progress?.Invoke(new PinnProgress("distil", 0, problem.Hidden.Count, training.Loss, training.DataLoss, training.ResidualLoss));
        var samples = Sample(trainer, problem, data, distillation.Samples, distillation.EdgeTrim, options.Seed);
        var distilled = new List<DistilledTerm>();
        for (var i = 0; i < problem.Hidden.Count; i++)
        {
            var h = problem.Hidden[i];
            distilled.Add(Distillation.Distil(h, samples.Arguments[h.Name], samples.Values[h.Name], distillation, options.Seed + i, cancellationToken));
            progress?.Invoke(new PinnProgress("distil", i + 1, problem.Hidden.Count, training.Loss, training.DataLoss, training.ResidualLoss));
        }
        var fitted = model.Constants.ToDictionary(p => p.Key, p => p.Value.item<double>());
        var refitted = false;
        IReadOnlyList<string> dropped = [];
        if (distillation.RefitToData && problem.Kind == PinnKind.Ode && !cancellationToken.IsCancellationRequested)
        {
            var t0 = data.Times.Min();
            double[] x0;
            using (NewDisposeScope())
            using (no_grad())
                x0 = model.States(tensor(new[,] { { t0 } }, dtype: ScalarType.Float64)).select(0, 0).data<double>().ToArray();
            if (TrajectoryRefit.Run(problem, data, distilled, fitted, x0, cancellationToken) is { } refit)
            {
                distilled = refit.Hidden.ToList();
                fitted = refit.Parameters;
                refitted = true;
                dropped = refit.Dropped;
            }
        }
        var distillSeconds = watch.Elapsed.TotalSeconds;

        var byName = distilled.ToDictionary(d => d.Term.Name);
        var completed = problem.Equations.Select(e =>
        {
            var rhs = Distillation.Complete(e.RightHandSide, byName);
            rhs = ExprModule.mapLeaves(FSharpFunc(leaf => leaf is Expr.Parameter p && fitted.TryGetValue(p.name, out var v) ? ExprModule.approx(v) : leaf), rhs);
            return new CompletedEquation(e.Target(problem.Kind, problem.Time), e.State, Simplify.simplify(rhs));
        }).ToArray();

        var surrogate = SurrogateAt(trainer, data);
        var verification = Verify(problem, data, completed, trainer);
        return new PinnResult
        {
            Problem = problem,
            Options = options,
            Equations = completed,
            Hidden = distilled,
            Parameters = fitted,
            Training = training,
            DistillationSeconds = distillSeconds,
            Data = data,
            SurrogateAtData = surrogate,
            Verification = verification,
            RefittedToData = refitted,
            DroppedOnData = dropped,
            Interrupted = training.Interrupted || cancellationToken.IsCancellationRequested,
        };
    }

    private static Microsoft.FSharp.Core.FSharpFunc<Expr, Expr> FSharpFunc(Func<Expr, Expr> f) => Microsoft.FSharp.Core.FuncConvert.FromFunc(f);

    private sealed record Samples(Dictionary<string, double[][]> Arguments, Dictionary<string, double[]> Values);

    /// <summary>The hidden networks' arguments and values over the visited states: along the learned trajectory (ODE) or
    /// at seeded random points of the (t, x) domain (PDE).</summary>
    private static Samples Sample(PinnTrainer trainer, PinnProblem problem, PinnData data, int count, double trim, long seed)
    {
        var span = data.Times.Max() - data.Times.Min();
        var t0 = data.Times.Min() + trim * span;
        var t1 = data.Times.Max() - trim * span;
        double[,] inputs;
        if (problem.Kind == PinnKind.Ode)
        {
            inputs = new double[count, 1];
            for (var k = 0; k < count; k++) inputs[k, 0] = t0 + (t1 - t0) * k / (count - 1);
        }
        else
        {
            var x0 = data.Space!.Min();
            var x1 = data.Space!.Max();
            var random = new Random(unchecked((int)seed * 31 + 7));
            inputs = new double[count, 2];
            for (var k = 0; k < count; k++)
            {
                inputs[k, 0] = t0 + (t1 - t0) * random.NextDouble();
                inputs[k, 1] = x0 + (x1 - x0) * random.NextDouble();
            }
        }
        using var scope = NewDisposeScope();
        var evaluation = trainer.Evaluate(tensor(inputs, dtype: ScalarType.Float64).requires_grad_(true));
        var arguments = new Dictionary<string, double[][]>();
        var values = new Dictionary<string, double[]>();
        foreach (var h in problem.Hidden)
        {
            var args = evaluation.HiddenArguments(h.Name).Select(a => a.expand(count)).ToArray();
            arguments[h.Name] = args.Select(a => a.detach().data<double>().ToArray()).ToArray();
            values[h.Name] = trainer.Model.Hidden(h.Name, args).detach().data<double>().ToArray();
        }
        return new Samples(arguments, values);
    }

    private static double[][] SurrogateAt(PinnTrainer trainer, PinnData data)
    {
        using var scope = NewDisposeScope();
        var dims = data.Space is null ? 1 : 2;
        var inputs = new double[data.Rows, dims];
        for (var k = 0; k < data.Rows; k++)
        {
            inputs[k, 0] = data.Times[k];
            if (dims == 2) inputs[k, 1] = data.Space![k];
        }
        using var noGrad = no_grad();
        var states = trainer.Model.States(tensor(inputs, dtype: ScalarType.Float64));
        return Enumerable.Range(0, (int)states.shape[1]).Select(i => states.select(1, i).data<double>().ToArray()).ToArray();
    }

    /// <summary>
    /// Solves the completed equations again and compares with the data: ODEs from the surrogate's state at the first
    /// time, by Dormand-Prince 5(4); a PDE on a uniform grid by the periodic pseudo-spectral solver from the data at the
    /// first time. Null (with the reason) when that is not possible.
    /// </summary>
    private static PinnVerification Verify(PinnProblem problem, PinnData data, IReadOnlyList<CompletedEquation> completed, PinnTrainer trainer)
    {
        try
        {
            return problem.Kind == PinnKind.Ode ? VerifyOde(problem, data, completed, trainer) : VerifyPde(problem, data, completed);
        }
        catch (Exception e) when (e is ArgumentException or OdeIntegrationException or SystemDefinitionException or InvalidOperationException)
        {
            return new PinnVerification(null, null, $"the completed equations could not be solved again: {e.Message}");
        }
    }

    private static PinnVerification VerifyOde(PinnProblem problem, PinnData data, IReadOnlyList<CompletedEquation> completed, PinnTrainer trainer)
    {
        var rhs = completed.Select(c => problem.Time == DynamicalSystem.TimeVariable ? c.RightHandSide
            : ExprModule.substitute(problem.Time, ExprModule.variable(DynamicalSystem.TimeVariable), c.RightHandSide)).ToArray();
        var system = DynamicalSystem.FromEquations(completed.Select((c, i) => EquationModule.derivative(c.State, rhs[i])));
        var times = data.Times.Distinct().Order().ToArray();
        double[] start;
        using (NewDisposeScope())
        using (no_grad())
        {
            var s = trainer.Model.States(tensor(new[,] { { times[0] } }, dtype: ScalarType.Float64));
            start = s.select(0, 0).data<double>().ToArray();
        }
        var order = system.StateNames.Select(n => problem.States.ToList().IndexOf(n)).ToArray();
        var x0 = order.Select(i => start[i]).ToArray();
        var solution = new DormandPrince54(new AdaptiveStepOptions(1e-9, 1e-9)).Solve(system.ToOdeProblem(), x0, times);
        var model = new Dictionary<string, double[]>();
        var r2 = new Dictionary<string, double>();
        for (var j = 0; j < system.StateNames.Count; j++)
        {
            var name = system.StateNames[j];
            var column = solution.Column(j);
            var atRows = data.Times.Select(t => column[Array.BinarySearch(times, t)]).ToArray();
            model[name] = atRows;
            r2[name] = Metrics.R2(data.States[name], atRows);
        }
        return new PinnVerification(model, r2, "the completed equations, solved from the surrogate's state at the first time (Dormand-Prince 5(4)), against the data");
    }

    private static PinnVerification VerifyPde(PinnProblem problem, PinnData data, IReadOnlyList<CompletedEquation> completed)
    {
        if (completed.Count != 1) return new PinnVerification(null, null, "solving again is only implemented for a single field");
        var c = completed[0];
        var space = problem.Space!;
        var xs = data.Space!.Distinct().Order().ToArray();
        var ts = data.Times.Distinct().Order().ToArray();
        if (xs.Length * ts.Length != data.Rows || xs.Length < 8)
            return new PinnVerification(null, null, "the data is not a full (x, t) grid, so the completed equation was not solved again");
        var dx = xs[1] - xs[0];
        if (xs.Zip(xs.Skip(1), (a, b) => b - a).Any(d => Math.Abs(d - dx) > 1e-6 * Math.Abs(dx)))
            return new PinnVerification(null, null, "the x grid is not uniform, so the completed equation was not solved again");
        var vars = ExprModule.variables(c.RightHandSide);
        if (vars.Contains(problem.Time) || vars.Contains(space) || vars.Any(v => problem.AsDerivative(v) is { } d && d.Letters.Contains(problem.Time[0])))
            return new PinnVerification(null, null, "the completed equation depends on t, x or a time derivative; not solved again");
        var u = data.States[c.State];
        var position = data.Space!;
        var index = new Dictionary<(double, double), int>();
        for (var k = 0; k < data.Rows; k++) index[(data.Times[k], position[k])] = k;
        var initial = xs.Select(x => u[index[(ts[0], x)]]).ToArray();
        var field = SpectralPdeSolver.Solve(c.RightHandSide, xs, initial, ts, c.State, space);
        var model = new double[data.Rows];
        var tIndex = ts.Select((t, i) => (t, i)).ToDictionary(p => p.t, p => p.i);
        var xIndex = xs.Select((x, i) => (x, i)).ToDictionary(p => p.x, p => p.i);
        for (var k = 0; k < data.Rows; k++) model[k] = field.U[tIndex[data.Times[k]], xIndex[position[k]]];
        var r2 = Metrics.R2(u, model);
        return new PinnVerification(new Dictionary<string, double[]> { [c.State] = model }, new Dictionary<string, double> { [c.State] = r2 },
            "the completed equation, solved on the data's x grid as a periodic problem (pseudo-spectral, Dormand-Prince 5(4)) from the data at the first time, against the data");
    }
}
