namespace Discovery.SparseRegression;

/// <summary>
/// Finds sparse coefficients Ξ with Y ≈ Θ Ξ for a <see cref="RegressionProblem"/>. Coefficients are in the problem's
/// own units (features are not normalised as far as the caller can tell; internally columns are scaled for accuracy).
/// </summary>
public interface ISparseRegressor
{
    /// <summary>Short description with the settings, e.g. "STLSQ (threshold 0.1, alpha 0.05)".</summary>
    string Name { get; }

    /// <summary>The sparsity threshold (coefficients smaller in magnitude are dropped).</summary>
    double Threshold { get; }

    /// <summary>The same regressor with another threshold (what a threshold sweep varies).</summary>
    ISparseRegressor WithThreshold(double threshold);

    /// <summary>Fits every target of <paramref name="problem"/>.</summary>
    SparseFit Fit(RegressionProblem problem);

    /// <summary>The settings by name, as a command line would give them (for result files).</summary>
    IReadOnlyDictionary<string, string> Settings { get; }
}

/// <summary>
/// The iterative sparse optimizers share this fit routine: start from a (ridge) least-squares fit of every allowed
/// feature, repeat the optimizer's one <see cref="Step"/> until it reports no change or <see cref="MaxIterations"/>
/// is reached, then (with <see cref="Unbias"/>) refit plain least squares on the support found, dropping any term that
/// falls below the threshold there.
/// </summary>
public abstract class SparseOptimizer : ISparseRegressor
{
    /// <summary>Common settings, validated.</summary>
    protected SparseOptimizer(double threshold, double alpha, int maxIterations, bool unbias)
    {
        if (!(threshold >= 0) || !double.IsFinite(threshold))
            throw new ArgumentOutOfRangeException(nameof(threshold), threshold, "the threshold must be a finite number >= 0");
        if (!(alpha >= 0) || !double.IsFinite(alpha))
            throw new ArgumentOutOfRangeException(nameof(alpha), alpha, "the ridge weight alpha must be a finite number >= 0");
        if (maxIterations < 1) throw new ArgumentOutOfRangeException(nameof(maxIterations), maxIterations, "at least one iteration is needed");
        Threshold = threshold;
        Alpha = alpha;
        MaxIterations = maxIterations;
        Unbias = unbias;
    }

    /// <inheritdoc />
    public double Threshold { get; }

    /// <summary>Ridge weight α of the least-squares fits: ‖y − Θξ‖² + α‖ξ‖².</summary>
    public double Alpha { get; }

    /// <summary>Most iterations of <see cref="Step"/>.</summary>
    public int MaxIterations { get; }

    /// <summary>Refit plain least squares (no ridge) on the final support.</summary>
    public bool Unbias { get; }

    /// <inheritdoc />
    public abstract string Name { get; }

    /// <inheritdoc />
    public abstract IReadOnlyDictionary<string, string> Settings { get; }

    /// <summary>The same optimizer with another threshold.</summary>
    public abstract SparseOptimizer WithThreshold(double threshold);

    ISparseRegressor ISparseRegressor.WithThreshold(double threshold) => WithThreshold(threshold);

    /// <inheritdoc />
    public SparseFit Fit(RegressionProblem problem) => Fit(problem, null, null);

    /// <summary>
    /// The shared routine, on rows weighted by <paramref name="rowWeights"/> (bagging counts; null: all 1) and without
    /// the features marked in <paramref name="excluded"/> (library ensembles; null: none).
    /// </summary>
    internal SparseFit Fit(RegressionProblem problem, double[]? rowWeights, bool[]? excluded)
    {
        var state = new SparseIteration(problem, rowWeights, excluded);
        Start(state);
        var converged = false;
        while (state.Iteration < MaxIterations)
        {
            state.Iteration++;
            if (!Step(state))
            {
                converged = true;
                break;
            }
        }
        Finish(state);
        if (Unbias)
        {
            // Refit plain least squares on the support; a term that falls below the threshold without the ridge is
            // dropped and the rest refitted, so that every reported coefficient is at least the threshold.
            for (var round = 0; round <= MaxIterations; round++)
            {
                for (var i = 0; i < state.Targets; i++) state.Refit(i, 0);
                if (!Prune(state)) break;
            }
        }
        return state.ToFit(converged);
    }

    /// <summary>The starting point: ridge least squares (weight <see cref="Alpha"/>) on every allowed feature.</summary>
    protected virtual void Start(SparseIteration state)
    {
        for (var i = 0; i < state.Targets; i++) state.Refit(i, Alpha);
    }

    /// <summary>
    /// One iteration: update <see cref="SparseIteration.Coefficients"/> and <see cref="SparseIteration.Support"/>;
    /// return false when nothing changed any more (converged).
    /// </summary>
    protected abstract bool Step(SparseIteration state);

    /// <summary>After the last step, before unbiasing: make the coefficients consistent with the support.</summary>
    protected virtual void Finish(SparseIteration state)
    {
        for (var i = 0; i < state.Targets; i++)
        for (var j = 0; j < state.Features; j++)
            if (!state.Support[i][j]) state.Coefficients[i][j] = 0;
    }

    /// <summary>Drops from the support every term whose coefficient is below the threshold; true when one was dropped.</summary>
    private bool Prune(SparseIteration state)
    {
        var changed = false;
        for (var i = 0; i < state.Targets; i++)
        for (var j = 0; j < state.Features; j++)
        {
            if (!state.Support[i][j] || Math.Abs(state.Coefficients[i][j]) >= Threshold) continue;
            state.Support[i][j] = false;
            state.Coefficients[i][j] = 0;
            changed = true;
        }
        return changed;
    }

    /// <inheritdoc />
    public override string ToString() => Name;
}

/// <summary>
/// The working state of one fit, handed to <see cref="SparseOptimizer"/>'s steps: the current coefficients (in the
/// problem's units) and support per target, the current row weights, and least-squares solves on any support.
/// </summary>
public sealed class SparseIteration
{
    private readonly RegressionProblem _problem;
    private readonly double[]? _baseWeights;
    private readonly bool[] _unavailable;
    private double[]? _weights;
    private QrFactor _factor;

    internal SparseIteration(RegressionProblem problem, double[]? rowWeights, bool[]? excluded)
    {
        _problem = problem;
        _baseWeights = rowWeights;
        _weights = rowWeights;
        _factor = rowWeights is null ? problem.Factor : problem.FactorWith(rowWeights);
        _unavailable = new bool[problem.Features];
        for (var j = 0; j < problem.Features; j++)
            _unavailable[j] = _factor.Dependent[j] || (excluded?[j] ?? false);
        Coefficients = Enumerable.Range(0, problem.Targets).Select(_ => new double[problem.Features]).ToArray();
        Support = Enumerable.Range(0, problem.Targets).Select(_ => _unavailable.Select(u => !u).ToArray()).ToArray();
        Relaxed = Enumerable.Range(0, problem.Targets).Select(_ => new double[problem.Features]).ToArray();
    }

    /// <summary>The problem being fitted.</summary>
    public RegressionProblem Problem => _problem;

    /// <summary>Number of targets.</summary>
    public int Targets => _problem.Targets;

    /// <summary>Number of features.</summary>
    public int Features => _problem.Features;

    /// <summary>Iterations done so far (1 during the first step).</summary>
    public int Iteration { get; internal set; }

    /// <summary>Current coefficients, <c>Coefficients[target][feature]</c>.</summary>
    public double[][] Coefficients { get; }

    /// <summary>Current support (which coefficients may be non-zero), <c>Support[target][feature]</c>.</summary>
    public bool[][] Support { get; }

    /// <summary>Auxiliary unthresholded coefficients for relaxation methods (SR3's ξ).</summary>
    public double[][] Relaxed { get; }

    /// <summary>Whether feature <paramref name="j"/> may be used at all (not dependent on others, not dropped).</summary>
    public bool IsAvailable(int j) => !_unavailable[j];

    /// <summary>Rows currently given weight 0 by <see cref="UseRows"/> (trimming), in increasing order.</summary>
    public IReadOnlyList<int> TrimmedRows { get; private set; } = [];

    /// <summary>
    /// Refits target <paramref name="target"/> on its current support: minimises ‖y − Θξ‖² + α‖ξ‖² +
    /// μ‖ξ − prior‖² (weighted rows), writing <see cref="Coefficients"/>; <paramref name="prior"/> null means 0.
    /// </summary>
    public void Refit(int target, double alpha, double mu = 0, double[]? prior = null) =>
        Solve(target, Support[target], alpha, mu, prior, Coefficients[target]);

    /// <summary>As <see cref="Refit"/>, on a given support, into a given array (entries off the support become 0).</summary>
    public void Solve(int target, bool[] support, double alpha, double mu, double[]? prior, double[] into)
    {
        var scale = _problem.Scale;
        var indices = new List<int>();
        for (var j = 0; j < Features; j++)
            if (support[j] && !_unavailable[j]) indices.Add(j);
        double[]? ridge = null;
        double[]? shifted = null;
        if (alpha > 0 || mu > 0)
        {
            ridge = new double[Features];
            shifted = prior is null || mu == 0 ? null : new double[Features];
            foreach (var j in indices)
            {
                ridge[j] = (alpha + mu) / (scale[j] * scale[j]);
                // α‖ξ‖² + μ‖ξ − t‖² = (α + μ)‖ξ − μ t/(α + μ)‖² + const, in scaled coordinates z = ξ s.
                if (shifted is not null) shifted[j] = mu * prior![j] / (alpha + mu) * scale[j];
            }
        }
        var z = new double[Features];
        _factor.Solve(target, indices.ToArray(), ridge, shifted, z);
        for (var j = 0; j < Features; j++) into[j] = z[j] / scale[j];
    }

    /// <summary>
    /// Gives weight 0 to the rows where <paramref name="keep"/> is false (on top of any bagging weights) and refactors;
    /// null restores every row.
    /// </summary>
    public void UseRows(bool[]? keep)
    {
        if (keep is null)
        {
            _weights = _baseWeights;
            TrimmedRows = [];
        }
        else
        {
            var weights = new double[_problem.Rows];
            var trimmed = new List<int>();
            for (var k = 0; k < weights.Length; k++)
            {
                weights[k] = keep[k] ? _baseWeights?[k] ?? 1.0 : 0.0;
                if (!keep[k]) trimmed.Add(k);
            }
            _weights = weights;
            TrimmedRows = trimmed;
        }
        _factor = _weights is null ? _problem.Factor : _problem.FactorWith(_weights);
    }

    /// <summary>
    /// Squared residual of every row summed over targets, each target's residual divided by its standard deviation,
    /// for the given coefficients (<c>[target][feature]</c>).
    /// </summary>
    public double[] RowResiduals(double[][] coefficients)
    {
        var result = new double[_problem.Rows];
        for (var i = 0; i < Targets; i++)
        {
            var predicted = _problem.Predict(coefficients[i]);
            var y = _problem.TargetColumns[i];
            var variance = Math.Max(_factor.TotalSquares(i) / Math.Max(1, _factor.RowWeight), 1e-300);
            for (var k = 0; k < result.Length; k++)
            {
                var d = y[k] - predicted[k];
                result[k] += d * d / variance;
            }
        }
        return result;
    }

    /// <summary>R² of the current coefficients of a target on the rows in use (weighted).</summary>
    public double R2(int target)
    {
        var z = new double[Features];
        for (var j = 0; j < Features; j++) z[j] = Coefficients[target][j] * _problem.Scale[j];
        var total = _factor.TotalSquares(target);
        var residual = _factor.ResidualSquares(target, z);
        return total > 0 ? 1 - residual / total : residual == 0 ? 1 : 0;
    }

    internal SparseFit ToFit(bool converged) =>
        new(Coefficients.Select(c => (double[])c.Clone()).ToArray(), Iteration, converged,
            Enumerable.Range(0, Targets).Select(R2).ToArray(), TrimmedRows, null);
}

/// <summary>
/// What a sparse regressor found: coefficients <c>[target, feature]</c> in the problem's units, the iterations,
/// whether it converged, R² per target on the rows used, rows trimmed as outliers (SR3), and for ensembles how sure
/// it is of each term.
/// </summary>
public sealed class SparseFit
{
    private readonly double[][] _coefficients;

    internal SparseFit(double[][] coefficients, int iterations, bool converged, double[] r2, IReadOnlyList<int> trimmedRows,
        EnsembleStatistics? ensemble)
    {
        _coefficients = coefficients;
        Iterations = iterations;
        Converged = converged;
        TrainingR2 = r2;
        TrimmedRows = trimmedRows;
        Ensemble = ensemble;
    }

    /// <summary>Number of targets.</summary>
    public int Targets => _coefficients.Length;

    /// <summary>Number of features.</summary>
    public int Features => _coefficients.Length == 0 ? 0 : _coefficients[0].Length;

    /// <summary>The coefficient of feature <paramref name="feature"/> for target <paramref name="target"/>.</summary>
    public double Coefficient(int target, int feature) => _coefficients[target][feature];

    /// <summary>The coefficients of one target (a copy).</summary>
    public double[] Row(int target) => (double[])_coefficients[target].Clone();

    /// <summary>All coefficients as a matrix <c>[target, feature]</c> (a copy).</summary>
    public double[,] Coefficients
    {
        get
        {
            var result = new double[Targets, Features];
            for (var i = 0; i < Targets; i++)
            for (var j = 0; j < Features; j++)
                result[i, j] = _coefficients[i][j];
            return result;
        }
    }

    /// <summary>Number of non-zero coefficients of a target.</summary>
    public int NonZero(int target) => _coefficients[target].Count(c => c != 0);

    /// <summary>Iterations the optimizer took (for ensembles: the most any model took).</summary>
    public int Iterations { get; }

    /// <summary>False when the iteration limit stopped the optimizer.</summary>
    public bool Converged { get; }

    /// <summary>R² per target on the rows used (trimmed rows left out).</summary>
    public IReadOnlyList<double> TrainingR2 { get; }

    /// <summary>Rows left out as outliers (SR3 trimming), increasing.</summary>
    public IReadOnlyList<int> TrimmedRows { get; }

    /// <summary>Inclusion probabilities and coefficient intervals (ensembles only).</summary>
    public EnsembleStatistics? Ensemble { get; }

    internal double[][] Raw => _coefficients;
}

/// <summary>How sure an ensemble is of each term: <c>[target, feature]</c> arrays.</summary>
/// <param name="InclusionProbability">Fraction of the models (that had the feature available) with a non-zero coefficient.</param>
/// <param name="Low">Lower end of the coefficient interval (quantile over the models, zeros included).</param>
/// <param name="High">Upper end of the interval.</param>
/// <param name="Median">Median coefficient over the models (zeros included).</param>
/// <param name="Models">Number of models in the ensemble.</param>
/// <param name="Level">Coverage of the interval, e.g. 0.95.</param>
public sealed record EnsembleStatistics(double[,] InclusionProbability, double[,] Low, double[,] High, double[,] Median, int Models, double Level);
