namespace Discovery.Data;

/// <summary>
/// One sampled trajectory: strictly increasing, finite times and a finite state matrix with one row per time and one
/// column per state variable. Immutable by convention (the arrays are not copied; do not change them afterwards).
/// </summary>
public sealed class Trajectory
{
    /// <summary>Wraps <paramref name="times"/> and <paramref name="states"/>; throws ArgumentException when they do not fit.</summary>
    public Trajectory(double[] times, double[,] states, string id = "0")
    {
        if (times.Length == 0) throw new ArgumentException("a trajectory needs at least one sample", nameof(times));
        if (states.GetLength(0) != times.Length)
            throw new ArgumentException($"{times.Length} times but {states.GetLength(0)} state rows", nameof(states));
        for (var k = 0; k < times.Length; k++)
        {
            if (!double.IsFinite(times[k])) throw new ArgumentException($"time {k} is NaN or Inf", nameof(times));
            if (k > 0 && !(times[k] > times[k - 1]))
                throw new ArgumentException($"times must increase strictly (sample {k - 1}: {times[k - 1]}, sample {k}: {times[k]})", nameof(times));
            for (var j = 0; j < states.GetLength(1); j++)
                if (!double.IsFinite(states[k, j]))
                    throw new ArgumentException($"state {j} at sample {k} is NaN or Inf", nameof(states));
        }
        Times = times;
        States = states;
        Id = id;
    }

    /// <summary>Sample times, strictly increasing.</summary>
    public double[] Times { get; }

    /// <summary>States: <c>States[k, j]</c> is variable j at <c>Times[k]</c>.</summary>
    public double[,] States { get; }

    /// <summary>The trajectory's identifier (from a trajectory column, a file name, or its index).</summary>
    public string Id { get; }

    /// <summary>Number of samples.</summary>
    public int Length => Times.Length;

    /// <summary>Number of state variables.</summary>
    public int Dimension => States.GetLength(1);

    /// <summary>Variable <paramref name="j"/> over time (a copy).</summary>
    public double[] Column(int j)
    {
        var column = new double[Length];
        for (var k = 0; k < column.Length; k++) column[k] = States[k, j];
        return column;
    }

    /// <summary>The state at sample <paramref name="k"/> (a copy).</summary>
    public double[] Row(int k)
    {
        var row = new double[Dimension];
        for (var j = 0; j < row.Length; j++) row[j] = States[k, j];
        return row;
    }

    /// <summary>Samples <paramref name="start"/> .. <paramref name="start"/> + <paramref name="count"/> − 1 as a new trajectory.</summary>
    public Trajectory Slice(int start, int count)
    {
        if (start < 0 || count < 1 || start + count > Length)
            throw new ArgumentOutOfRangeException(nameof(count), $"samples {start}..{start + count - 1} are outside 0..{Length - 1}");
        var states = new double[count, Dimension];
        for (var k = 0; k < count; k++)
        for (var j = 0; j < Dimension; j++)
            states[k, j] = States[start + k, j];
        return new Trajectory(Times[start..(start + count)], states, Id);
    }

    /// <summary>The same times and id with other states (same number of rows; any number of columns).</summary>
    public Trajectory WithStates(double[,] states) => new(Times, states, Id);
}

/// <summary>
/// A data set of trajectories of one system: the name of the time column, the names of the state variables (one per
/// column of every trajectory), and one or more trajectories. What loaders return, simulators produce and learners take.
/// </summary>
public sealed class TrajectoryData
{
    /// <summary>Checks that names are distinct and every trajectory has one column per state name.</summary>
    public TrajectoryData(IReadOnlyList<string> stateNames, IReadOnlyList<Trajectory> trajectories, string timeName = "t")
    {
        if (stateNames.Count == 0) throw new ArgumentException("at least one state variable is needed", nameof(stateNames));
        if (trajectories.Count == 0) throw new ArgumentException("at least one trajectory is needed", nameof(trajectories));
        var seen = new HashSet<string>(StringComparer.Ordinal) { timeName };
        foreach (var name in stateNames)
            if (string.IsNullOrWhiteSpace(name) || !seen.Add(name))
                throw new ArgumentException($"state names must be distinct, non-empty and differ from the time column '{timeName}' (offending: '{name}')", nameof(stateNames));
        var ids = new HashSet<string>(StringComparer.Ordinal);
        foreach (var trajectory in trajectories)
        {
            if (trajectory.Dimension != stateNames.Count)
                throw new ArgumentException($"trajectory '{trajectory.Id}' has {trajectory.Dimension} columns for {stateNames.Count} state names", nameof(trajectories));
            if (!ids.Add(trajectory.Id))
                throw new ArgumentException($"two trajectories share the id '{trajectory.Id}'", nameof(trajectories));
        }
        StateNames = stateNames.ToArray();
        Trajectories = trajectories.ToArray();
        TimeName = timeName;
    }

    /// <summary>A data set of a single trajectory.</summary>
    public TrajectoryData(IReadOnlyList<string> stateNames, Trajectory trajectory, string timeName = "t")
        : this(stateNames, [trajectory], timeName) { }

    /// <summary>Name of the time column ("t" unless read otherwise).</summary>
    public string TimeName { get; }

    /// <summary>Names of the state variables, in column order.</summary>
    public IReadOnlyList<string> StateNames { get; }

    /// <summary>The trajectories (at least one).</summary>
    public IReadOnlyList<Trajectory> Trajectories { get; }

    /// <summary>Number of state variables.</summary>
    public int Dimension => StateNames.Count;

    /// <summary>Samples over all trajectories.</summary>
    public int TotalSamples => Trajectories.Sum(t => t.Length);

    /// <summary>Column index of state <paramref name="name"/>, or −1.</summary>
    public int IndexOf(string name)
    {
        for (var j = 0; j < StateNames.Count; j++)
            if (StateNames[j] == name) return j;
        return -1;
    }

    /// <summary>The same names with other trajectories.</summary>
    public TrajectoryData WithTrajectories(IReadOnlyList<Trajectory> trajectories) => new(StateNames, trajectories, TimeName);

    /// <summary>All trajectories' states stacked into one matrix (rows in trajectory order), e.g. for a regression.</summary>
    public double[,] StackStates()
    {
        var result = new double[TotalSamples, Dimension];
        var row = 0;
        foreach (var trajectory in Trajectories)
        {
            for (var k = 0; k < trajectory.Length; k++, row++)
            for (var j = 0; j < Dimension; j++)
                result[row, j] = trajectory.States[k, j];
        }
        return result;
    }
}
