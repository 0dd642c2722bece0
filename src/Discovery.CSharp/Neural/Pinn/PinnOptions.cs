namespace Discovery.Neural.Pinn;

/// <summary>Sizes and schedule of the hidden-term PINN.</summary>
/// <param name="Epochs">Adam steps of joint training (data misfit + equation residual).</param>
/// <param name="WarmupEpochs">Adam steps fitting the surrogate to the data alone before the residual joins in.</param>
/// <param name="LbfgsIterations">L-BFGS iterations after Adam (0: none).</param>
/// <param name="LearningRate">Adam's starting learning rate (decays tenfold over the joint phase).</param>
/// <param name="SurrogateWidth">Units per hidden layer of the surrogate u(t) or u(x, t).</param>
/// <param name="SurrogateDepth">Hidden layers of the surrogate.</param>
/// <param name="HiddenWidth">Units per hidden layer of each hidden-term network.</param>
/// <param name="HiddenDepth">Hidden layers of each hidden-term network.</param>
/// <param name="CollocationPoints">Points where the equation residual is evaluated (a uniform grid in time for ODEs,
/// seeded random points in (t, x) for PDEs).</param>
/// <param name="ResidualWeight">Weight of the (normalised) residual against the (normalised) data misfit.</param>
/// <param name="HiddenPenalty">Weight of an L2 penalty on the hidden networks' weights (keeps them smooth, so with
/// few noisy points they do not bend the trajectory through the noise).</param>
/// <param name="Seed">Seed of the initial weights and the collocation points.</param>
/// <param name="Threads">TorchSharp intra-op threads, set for the process (null: leave as it is). The networks are small,
/// so one thread is fastest; several threads on a loaded machine can be 30 times slower.</param>
/// <param name="Distillation">How the hidden networks are turned into expressions.</param>
public sealed record PinnOptions(
    int Epochs = 3000,
    int WarmupEpochs = 300,
    int LbfgsIterations = 300,
    double LearningRate = 0.01,
    int SurrogateWidth = 32,
    int SurrogateDepth = 3,
    int HiddenWidth = 16,
    int HiddenDepth = 2,
    int CollocationPoints = 256,
    double ResidualWeight = 1.0,
    double HiddenPenalty = 1e-4,
    long Seed = 0,
    int? Threads = 1,
    DistillationOptions? Distillation = null)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"epochs must be 0 or more (got {Epochs})");
        if (WarmupEpochs < 0) throw new ArgumentException($"warm-up epochs must be 0 or more (got {WarmupEpochs})");
        if (LbfgsIterations < 0) throw new ArgumentException($"L-BFGS iterations must be 0 or more (got {LbfgsIterations})");
        if (!(LearningRate > 0) || !double.IsFinite(LearningRate)) throw new ArgumentException($"the learning rate must be positive (got {LearningRate})");
        if (SurrogateWidth < 1 || SurrogateDepth < 1) throw new ArgumentException("the surrogate needs at least one layer of at least one unit");
        if (HiddenWidth < 1 || HiddenDepth < 1) throw new ArgumentException("the hidden networks need at least one layer of at least one unit");
        if (CollocationPoints < 2) throw new ArgumentException($"at least 2 collocation points are needed (got {CollocationPoints})");
        if (!(ResidualWeight > 0) || !double.IsFinite(ResidualWeight)) throw new ArgumentException($"the residual weight must be positive (got {ResidualWeight})");
        if (!(HiddenPenalty >= 0) || !double.IsFinite(HiddenPenalty)) throw new ArgumentException($"the hidden-network penalty must be 0 or more (got {HiddenPenalty})");
        if (Threads is < 1) throw new ArgumentException($"threads must be at least 1 (got {Threads})");
        (Distillation ?? new DistillationOptions()).Validate();
    }
}

/// <summary>How a hidden network becomes an expression.</summary>
/// <param name="Samples">Points at which each network is sampled, spread over the states the data visits (along the
/// learned trajectory for ODEs, over the (t, x) domain for PDEs).</param>
/// <param name="PolynomialDegree">Degree of the cheap first attempt: sparse regression on polynomial features of the
/// network's arguments (0: skip it).</param>
/// <param name="SearchSeconds">Time limit of the symbolic-regression search per hidden term (0: skip the search).</param>
/// <param name="SearchIterations">Iteration limit of the search (null: only the time limit).</param>
/// <param name="MaxSize">Largest complexity the search builds.</param>
/// <param name="Operators">Operators of the search, as <c>discovery sr</c> takes them.</param>
/// <param name="Tolerance">Two forms are equally good when their 1 − R² against the network differ by less than this
/// (absolute) or a factor 2; the simpler one is kept.</param>
/// <param name="SearchThreads">Worker threads of the search (null: all cores).</param>
/// <param name="EdgeTrim">Fraction of the time span left out of the samples at each end: the surrogate's derivatives are
/// least determined at the edges of the data, and errors there would read as extra terms.</param>
/// <param name="RefitToData">ODEs: refit the distilled coefficients (with fitted constants and the initial state) by
/// solving the completed equations against the data (Levenberg-Marquardt), kept when the misfit drops; then choose the
/// form on the data (other candidates tried, terms the data does not need dropped; see <see cref="TrajectoryRefit"/>).</param>
public sealed record DistillationOptions(
    int Samples = 400,
    int PolynomialDegree = 3,
    double SearchSeconds = 10,
    int? SearchIterations = null,
    int MaxSize = 20,
    string Operators = "+,-,*,/",
    double Tolerance = 0.01,
    int? SearchThreads = null,
    double EdgeTrim = 0.05,
    bool RefitToData = true)
{
    /// <summary>Throws <see cref="ArgumentException"/> naming the first bad setting.</summary>
    public void Validate()
    {
        if (Samples < 10) throw new ArgumentException($"at least 10 distillation samples are needed (got {Samples})");
        if (PolynomialDegree is < 0 or > 6) throw new ArgumentException($"the polynomial degree must be 0 to 6 (got {PolynomialDegree})");
        if (!(SearchSeconds >= 0)) throw new ArgumentException($"the search time must be 0 or more (got {SearchSeconds})");
        if (PolynomialDegree == 0 && SearchSeconds == 0) throw new ArgumentException("distillation needs the polynomial fit or the search (or both)");
        if (SearchIterations is < 1) throw new ArgumentException($"search iterations must be at least 1 (got {SearchIterations})");
        if (MaxSize < 3) throw new ArgumentException($"the search's largest complexity must be at least 3 (got {MaxSize})");
        if (!(EdgeTrim >= 0 && EdgeTrim < 0.5)) throw new ArgumentException($"the edge trim must be in [0, 0.5) (got {EdgeTrim})");
        if (!(Tolerance >= 0)) throw new ArgumentException($"the tolerance must be 0 or more (got {Tolerance})");
    }
}

/// <summary>Where training stands: the phase ("warm-up", "adam", "lbfgs", "distil"), the step and the losses.</summary>
public sealed record PinnProgress(string Phase, int Step, int Steps, double Loss, double DataLoss, double ResidualLoss);
