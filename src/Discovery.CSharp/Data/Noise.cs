namespace Discovery.Data;

/// <summary>
/// Measurement noise for experiments: Gaussian with standard deviation level × RMS of each state column (the SRBench /
/// PySINDy convention, RMS taken over all trajectories), from a seeded generator so a run can be repeated exactly.
/// </summary>
public static class Noise
{
    /// <summary>
    /// A copy of <paramref name="data"/> with Gaussian noise of standard deviation <paramref name="level"/> × RMS(column)
    /// added to every state value (times untouched). Level 0 returns the data unchanged. Same seed, same noise.
    /// </summary>
    public static TrajectoryData AddGaussian(TrajectoryData data, double level, int seed)
    {
        if (!(level >= 0) || !double.IsFinite(level))
            throw new ArgumentOutOfRangeException(nameof(level), level, "the noise level must be a finite number >= 0");
        if (level == 0) return data;
        var rms = ColumnRms(data);
        var random = new Random(seed);
        var noisy = new List<Trajectory>(data.Trajectories.Count);
        foreach (var trajectory in data.Trajectories)
        {
            var states = (double[,])trajectory.States.Clone();
            for (var k = 0; k < trajectory.Length; k++)
            for (var j = 0; j < data.Dimension; j++)
                states[k, j] += level * rms[j] * StandardNormal(random);
            noisy.Add(trajectory.WithStates(states));
        }
        return data.WithTrajectories(noisy);
    }

    /// <summary>Root mean square of each state column over all trajectories.</summary>
    public static double[] ColumnRms(TrajectoryData data)
    {
        var sums = new double[data.Dimension];
        foreach (var trajectory in data.Trajectories)
            for (var k = 0; k < trajectory.Length; k++)
            for (var j = 0; j < data.Dimension; j++)
                sums[j] += trajectory.States[k, j] * trajectory.States[k, j];
        var count = data.TotalSamples;
        return sums.Select(s => Math.Sqrt(s / count)).ToArray();
    }

    /// <summary>A standard normal draw (Box-Muller; deterministic for a seeded generator).</summary>
    public static double StandardNormal(Random random)
    {
        var u1 = 1.0 - random.NextDouble(); // in (0, 1]
        var u2 = random.NextDouble();
        return Math.Sqrt(-2.0 * Math.Log(u1)) * Math.Cos(2.0 * Math.PI * u2);
    }
}

/// <summary>A training part and a held-out test part of a data set.</summary>
/// <param name="Train">Data to fit on.</param>
/// <param name="Test">Data to evaluate on.</param>
public sealed record DataSplit(TrajectoryData Train, TrajectoryData Test);

/// <summary>Train/test splits that respect time order: by time within each trajectory, or by whole trajectories.</summary>
public static class Splits
{
    /// <summary>
    /// Every trajectory's first <paramref name="trainFraction"/> of samples for training and the rest for testing (the
    /// forecast setting). Each part keeps at least one sample per trajectory.
    /// </summary>
    public static DataSplit ByTime(TrajectoryData data, double trainFraction)
    {
        CheckFraction(trainFraction);
        var train = new List<Trajectory>();
        var test = new List<Trajectory>();
        foreach (var trajectory in data.Trajectories)
        {
            if (trajectory.Length < 2)
                throw new ArgumentException($"trajectory '{trajectory.Id}' has one sample and cannot be split in time");
            var cut = Math.Clamp((int)Math.Round(trainFraction * trajectory.Length), 1, trajectory.Length - 1);
            train.Add(trajectory.Slice(0, cut));
            test.Add(trajectory.Slice(cut, trajectory.Length - cut));
        }
        return new DataSplit(data.WithTrajectories(train), data.WithTrajectories(test));
    }

    /// <summary>
    /// Whole trajectories: a seeded random <paramref name="trainFraction"/> of them for training, the others for testing
    /// (the generalisation-to-new-initial-conditions setting). Needs at least two trajectories.
    /// </summary>
    public static DataSplit ByTrajectory(TrajectoryData data, double trainFraction, int seed = 0)
    {
        CheckFraction(trainFraction);
        var count = data.Trajectories.Count;
        if (count < 2) throw new ArgumentException("splitting by trajectory needs at least two trajectories");
        var order = Enumerable.Range(0, count).ToArray();
        new Random(seed).Shuffle(order);
        var trainCount = Math.Clamp((int)Math.Round(trainFraction * count), 1, count - 1);
        var trainSet = order.Take(trainCount).Order().Select(i => data.Trajectories[i]).ToList();
        var testSet = order.Skip(trainCount).Order().Select(i => data.Trajectories[i]).ToList();
        return new DataSplit(data.WithTrajectories(trainSet), data.WithTrajectories(testSet));
    }

    private static void CheckFraction(double fraction)
    {
        if (!(fraction > 0 && fraction < 1))
            throw new ArgumentOutOfRangeException(nameof(fraction), fraction, "the training fraction must be strictly between 0 and 1");
    }
}
