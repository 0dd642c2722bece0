using BenchmarkDotNet.Attributes;
using Discovery.Benchmarks;
using Microsoft.FSharp.Collections;
using Symbolic;

namespace Discovery.Bench;

/// <summary>
/// The evaluation suite of <see cref="EvalSuite"/> under BenchmarkDotNet: the evaluator (baseline) against the
/// hand-written SIMD loop and the naive tree walk, per expression, on 1,000 rows.
/// Run: dotnet run -c Release --project bench/Discovery.Bench -- --filter '*EvalBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class EvalBenchmarks
{
    private double[][] _data = [];
    private double[] _output = [];
    private Symbolic.Program _program = null!;
    private Workspace _workspace = null!;
    private EvalCase _case = null!;
    private readonly Dictionary<string, double> _values = new();

    /// <summary>The expression, by its text in the suite.</summary>
    [ParamsSource(nameof(Names))]
    public string Expression { get; set; } = "";

    [Params(1000)]
    public int Rows { get; set; }

    public static IEnumerable<string> Names => EvalSuite.Cases.Select(c => c.Name);

    [GlobalSetup]
    public void Setup()
    {
        _case = EvalSuite.Cases.Single(c => c.Name == Expression);
        _data = EvalSuite.Data(Rows);
        _output = new double[Rows];
        _workspace = new Workspace();
        var compiled = Compile.ToProgram(ListModule.OfArray(EvalSuite.Variables), _case.Expression);
        _program = compiled.IsOk ? compiled.ResultValue : throw new InvalidOperationException(compiled.ErrorValue);
    }

    [Benchmark(Baseline = true)]
    public EvalStatus Evaluator() => Symbolic.Evaluator.EvaluateInto(_workspace, _program, _program.ParameterValues, _data, _output);

    [Benchmark]
    public void HandLoop() => _case.HandLoop(_data, _output);

    [Benchmark]
    public void NaiveTreeWalk()
    {
        for (var i = 0; i < Rows; i++)
        {
            for (var v = 0; v < EvalSuite.Variables.Length; v++) _values[EvalSuite.Variables[v]] = _data[v][i];
            _output[i] = Symbolic.Evaluate.at(_values, _case.Expression);
        }
    }
}
