using Discovery.Neural;
using Symbolic;
using TorchSharp;
using static TorchSharp.torch;

namespace Discovery.Tests.Neural;

/// <summary>The core-expression to TorchSharp translator: values, gradients, trainable parameters, hidden functions.</summary>
[Collection(Discovery.Tests.Neural.TorchCollection.Name)]
public class TensorTranslatorTests
{
    private static Dictionary<string, Tensor> Vars(params (string Name, double[] Values)[] columns) =>
        columns.ToDictionary(c => c.Name, c => tensor(c.Values, dtype: ScalarType.Float64));

    [Fact]
    public void Translated_expression_gives_the_evaluators_values()
    {
        using var scope = NewDisposeScope();
        var expression = Algebra.Parse("x*y/(1 + x^2) - sin(y) + exp(-x)/2 + sqrt(abs(y)) + 3*x^3");
        var f = TensorTranslator.Translate(expression);
        var x = new[] { -1.5, 0.0, 0.3, 2.0 };
        var y = new[] { 0.7, -2.0, 1.1, 4.0 };
        var values = f(Vars(("x", x), ("y", y))).data<double>().ToArray();
        for (var i = 0; i < x.Length; i++)
        {
            var expected = Algebra.Evaluate(expression, new Dictionary<string, double> { ["x"] = x[i], ["y"] = y[i] });
            Assert.Equal(expected, values[i], 10);
        }
    }

    [Fact]
    public void Gradients_flow_through_the_translation()
    {
        using var scope = NewDisposeScope();
        var f = TensorTranslator.Translate(Algebra.Parse("x^2*y + sin(x)"));
        var x = tensor(new[] { 0.5, 1.5 }, dtype: ScalarType.Float64).requires_grad_(true);
        var y = tensor(new[] { 2.0, -1.0 }, dtype: ScalarType.Float64);
        var value = f(new Dictionary<string, Tensor> { ["x"] = x, ["y"] = y });
        var grad = autograd.grad([value.sum()], [x])[0].data<double>().ToArray();
        Assert.Equal(2 * 0.5 * 2.0 + Math.Cos(0.5), grad[0], 12);
        Assert.Equal(2 * 1.5 * -1.0 + Math.Cos(1.5), grad[1], 12);
    }

    [Fact]
    public void Parameters_become_the_tensors_the_caller_supplies_and_can_be_trained()
    {
        using var scope = NewDisposeScope();
        var k = nn.Parameter(tensor(1.0, dtype: ScalarType.Float64));
        var f = TensorTranslator.Translate(Algebra.Parse("k*x", ["k"]), new TensorTranslation { Parameter = (_, _) => k });
        var x = tensor(new[] { 1.0, 2.0, 3.0 }, dtype: ScalarType.Float64);
        var target = 2.5 * x;
        var optimizer = optim.Adam([k], 0.1);
        for (var i = 0; i < 300; i++)
        {
            optimizer.zero_grad();
            var loss = (f(new Dictionary<string, Tensor> { ["x"] = x }) - target).square().mean();
            loss.backward();
            optimizer.step();
        }
        Assert.Equal(2.5, k.item<double>(), 3);
    }

    [Fact]
    public void Placeholders_call_the_supplied_function_with_their_argument_tensors()
    {
        using var scope = NewDisposeScope();
        var seen = 0;
        var translation = new TensorTranslation
        {
            Placeholders = new Dictionary<string, Func<IReadOnlyList<Tensor>, Tensor>>
            {
                ["h1"] = args =>
                {
                    seen = args.Count;
                    return args[0] * args[1];
                },
            },
        };
        var f = TensorTranslator.Translate(Algebra.Parse("1.3*x + h1(x, 2*y)"), translation);
        var value = f(Vars(("x", [1.0, 2.0]), ("y", [3.0, 4.0]))).data<double>().ToArray();
        Assert.Equal(2, seen);
        Assert.Equal(1.3 + 6.0, value[0], 12);
        Assert.Equal(2.6 + 16.0, value[1], 12);
    }

    [Fact]
    public void A_placeholder_without_a_function_is_refused_by_name()
    {
        var e = Assert.Throws<NotSupportedException>(() => TensorTranslator.Translate(Algebra.Parse("x + h7(x)")));
        Assert.Contains("h7", e.Message);
    }

    [Fact]
    public void Expression_module_still_trains_its_constants_through_the_shared_translator()
    {
        using var scope = NewDisposeScope();
        var module = new ExpressionModule(Algebra.Parse("1.5*x + 0.5"), ["x"]);
        Assert.Equal(2, module.ConstantNames.Count);
        var input = tensor(new double[,] { { 1 }, { 2 }, { 3 } }, dtype: ScalarType.Float64);
        var target = tensor(new[] { 5.0, 8.0, 11.0 }, dtype: ScalarType.Float64);
        var optimizer = optim.Adam(module.parameters(), 0.1);
        for (var i = 0; i < 1500; i++)
        {
            optimizer.zero_grad();
            var loss = (module.forward(input) - target).square().mean();
            loss.backward();
            optimizer.step();
        }
        var prediction = module.forward(input).data<double>().ToArray();
        Assert.Equal(5.0, prediction[0], 2);
        Assert.Equal(11.0, prediction[2], 2);
    }
}
