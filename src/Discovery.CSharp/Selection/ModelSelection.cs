namespace Discovery.Selection;

/// <summary>
/// One rule for choosing between fitted models of different size, whatever learner produced them: the Bayesian
/// information criterion n·ln(SSE/n) + k·ln(n) on the misfit to the data. A model with one more constant must lower the
/// sum of squares by a factor of about n^(1/n) per constant, far more than fitting the noise does, so a simpler form that
/// fits within the noise wins. The misfit is floored at a relative accuracy, because below the solver's or the
/// arithmetic's accuracy a smaller misfit is not evidence.
/// </summary>
public static class ModelSelection
{
    /// <summary>Relative accuracy below which a smaller misfit counts as equal (per observation, on scaled residuals).</summary>
    public const double AccuracyFloor = 1e-6;

    /// <summary>
    /// The criterion for a model with <paramref name="constants"/> fitted constants whose (scaled) residuals over
    /// <paramref name="observations"/> points have the sum of squares <paramref name="sumOfSquares"/>; lower is better.
    /// Infinity for a misfit that is not a number.
    /// </summary>
    public static double Criterion(double sumOfSquares, int observations, int constants)
    {
        if (observations < 1) throw new ArgumentException($"at least one observation is needed (got {observations})");
        if (constants < 0) throw new ArgumentException($"the number of constants cannot be negative (got {constants})");
        if (!(sumOfSquares >= 0) || double.IsPositiveInfinity(sumOfSquares)) return double.PositiveInfinity;
        var floor = observations * AccuracyFloor * AccuracyFloor;
        return observations * Math.Log(Math.Max(sumOfSquares, floor) / observations) + constants * Math.Log(observations);
    }

    /// <summary>The index of the preferred model among (sum of squares, constants) pairs fitted to the same
    /// <paramref name="observations"/>; ties go to the model with fewer constants, then to the earlier one.</summary>
    public static int Choose(IReadOnlyList<(double SumOfSquares, int Constants)> models, int observations)
    {
        if (models.Count == 0) throw new ArgumentException("there is no model to choose from");
        var best = 0;
        var bestScore = Criterion(models[0].SumOfSquares, observations, models[0].Constants);
        for (var i = 1; i < models.Count; i++)
        {
            var score = Criterion(models[i].SumOfSquares, observations, models[i].Constants);
            if (score < bestScore || (score == bestScore && models[i].Constants < models[best].Constants))
                (best, bestScore) = (i, score);
        }
        return best;
    }
}
