using Discovery.Data;

namespace Discovery.Neural.Pinn;

/// <summary>
/// Measurements for the hidden-term PINN: rows of time (and position, for a PDE) with the measured states. Rows may be
/// sparse and irregular (an initial condition plus a few later times, or scattered points in (x, t)).
/// </summary>
public sealed class PinnData
{
    /// <summary>Builds the data from columns; every column must have as many finite values as <paramref name="times"/>.</summary>
    public PinnData(double[] times, IReadOnlyDictionary<string, double[]> states, double[]? space = null)
    {
        if (times.Length < 2) throw new ArgumentException($"at least 2 rows are needed (got {times.Length})");
        if (states.Count == 0) throw new ArgumentException("no state columns");
        if (space is not null && space.Length != times.Length) throw new ArgumentException("the space column is not as long as the time column");
        foreach (var (name, column) in states)
        {
            if (column.Length != times.Length) throw new ArgumentException($"column '{name}' is not as long as the time column");
            if (column.Any(v => !double.IsFinite(v))) throw new ArgumentException($"column '{name}' has a value that is not a finite number");
        }
        if (times.Any(v => !double.IsFinite(v)) || space?.Any(v => !double.IsFinite(v)) == true)
            throw new ArgumentException("time and space values must be finite numbers");
        if (times.Max() <= times.Min()) throw new ArgumentException("the data covers a single time; the PINN needs a time span");
        Times = times;
        States = states;
        Space = space;
    }

    /// <summary>Time of each row.</summary>
    public double[] Times { get; }

    /// <summary>Position of each row (PDE), else null.</summary>
    public double[]? Space { get; }

    /// <summary>Measured states by name.</summary>
    public IReadOnlyDictionary<string, double[]> States { get; }

    /// <summary>Number of rows.</summary>
    public int Rows => Times.Length;

    /// <summary>The columns the problem needs, taken from a table read from CSV.</summary>
    public static PinnData FromTable(Table table, PinnProblem problem)
    {
        var states = problem.States.ToDictionary(s => s, table.Column);
        if (problem.Kind == PinnKind.Ode) CheckTimeIncreases(table, problem.Time);
        return new PinnData(table.Column(problem.Time), states, problem.Space is { } x ? table.Column(x) : null);
    }

    /// <summary>The ODE's rows are one trajectory: time increases strictly, as every trajectory reader requires (a PDE's
    /// rows are scattered points in (t, x) and may come in any order).</summary>
    /// <exception cref="DataFormatException">A time not after the one before, naming the file, row and column.</exception>
    private static void CheckTimeIncreases(Table table, string time)
    {
        var times = table.Column(time);
        for (var k = 1; k < times.Length; k++)
            if (!(times[k] > times[k - 1]))
                throw new DataFormatException(table.Source, table.RowNumbers[k], time,
                    $"time to increase (row {table.RowNumbers[k - 1]} has {CsvFields.Format(times[k - 1])})", CsvFields.Format(times[k]));
    }

    /// <summary>The rows of the first trajectory of simulated data (ODE).</summary>
    public static PinnData FromTrajectory(TrajectoryData data)
    {
        var trajectory = data.Trajectories[0];
        return new PinnData(trajectory.Times, data.StateNames.Select((s, i) => (s, trajectory.Column(i))).ToDictionary(p => p.s, p => p.Item2));
    }
}
