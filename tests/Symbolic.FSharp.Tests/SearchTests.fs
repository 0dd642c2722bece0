module Symbolic.Tests.SearchTests

open System
open System.Threading
open Xunit
open Symbolic
open Symbolic.Search

/// A table of `rows` random points in [-3, 3]^k (or [lo, hi]) and the target computed from them.
let table (seed: int) (rows: int) (lo: float) (hi: float) (names: string list) (f: float[] -> float) =
    let rng = Random(seed)
    let columns = names |> List.map (fun _ -> Array.init rows (fun _ -> lo + (hi - lo) * rng.NextDouble())) |> Array.ofList
    let target = Array.init rows (fun r -> f (columns |> Array.map (fun c -> c[r])))
    { Variables = Array.ofList names; Columns = columns; Target = target; Weights = None }

let small =
    { SearchOptions.Default with
        Evolution = { EvolutionOptions.Default with Populations = 4; PopulationSize = 24; CyclesPerIteration = 60 }
        Stopping = { StoppingOptions.Default with Iterations = Some 200; TargetLoss = Some 1e-20 }
        Seed = 42L }

let withOperators (binary: string list) (unary: string list) (o: SearchOptions) =
    { o with Space = { o.Space with BinaryOperators = binary; UnaryOperators = unary } }

let search options data =
    match Search.run options data [] ignore CancellationToken.None with
    | Ok r -> r
    | Error e -> failwithf "search failed: %s" e

let chosen (r: SearchResult) =
    match r.Chosen with
    | Some c -> c
    | None -> failwith "no model chosen"

/// Rounds approximate constants to `digits` decimals so recovered constants compare with exact ones.
let rounded (digits: int) (e: Expr) =
    Expr.mapLeaves (function
        | Approx x ->
            let r = Math.Round(x, digits)
            if r = Math.Round r && abs r < 1e6 then Expr.number (int r) else Expr.approx r
        | leaf -> leaf) e

let x = Expr.variable "x"
let y = Expr.variable "y"

/// The chosen equation is the truth as a function (the core's equivalence test) and no longer than `maxComplexity`.
let assertRecovered (truth: string) (maxComplexity: int) (r: SearchResult) =
    let expected = match Parse.expression truth with Ok e -> e | Error e -> failwithf "%O" e
    let c = chosen r
    Assert.True(Equivalence.areEquivalent expected c.Expression,
                sprintf "expected %s, found %s" truth (Print.infix c.Expression))
    Assert.True(c.Complexity <= maxComplexity, sprintf "too complex (%d): %s" c.Complexity (Print.infix c.Expression))

[<Fact>]
let ``recovers x^2 + sin(y) exactly`` () =
    let data = table 1 200 -3.0 3.0 [ "x"; "y" ] (fun v -> v[0] * v[0] + sin v[1])
    let r = search (small |> withOperators [ "add"; "sub"; "mul"; "div" ] [ "sin"; "cos"; "exp" ]) data
    assertRecovered "x^2 + sin(y)" 7 r

[<Fact>]
let ``recovers 2.5*x*y - 1 with its constants`` () =
    let data = table 2 200 -3.0 3.0 [ "x"; "y" ] (fun v -> 2.5 * v[0] * v[1] - 1.0)
    let r = search (small |> withOperators [ "add"; "sub"; "mul"; "div" ] []) data
    assertRecovered "2.5*x*y - 1" 7 r

[<Fact>]
let ``recovers exp(-x)/x`` () =
    let data = table 3 200 0.5 3.0 [ "x" ] (fun v -> exp (-v[0]) / v[0])
    let r = search (small |> withOperators [ "add"; "sub"; "mul"; "div" ] [ "exp"; "neg" ]) data
    let found = (chosen r).Expression
    // Compare as functions on the sampled points: the search may write it as exp(-x)/x or 1/(x*exp(x)).
    for v in [ 0.6; 1.0; 1.7; 2.9 ] do
        Assert.Equal(exp (-v) / v, Evaluate.withValues [ "x", v ] found, 9)
    Assert.True((chosen r).Complexity <= 6, sprintf "too complex: %A" found)

[<Fact>]
let ``the Pareto front has strictly falling loss as complexity grows`` () =
    let data = table 4 100 -3.0 3.0 [ "x" ] (fun v -> v[0] * v[0] * v[0] - 2.0 * v[0] + 0.5)
    let o = { small with Stopping = { StoppingOptions.Default with Iterations = Some 15 } }
    let r = search o data
    Assert.NotEmpty r.Front
    r.Front |> List.pairwise |> List.iter (fun (a, b) ->
        Assert.True(a.Complexity < b.Complexity)
        Assert.True(a.Loss > b.Loss))

let frontText (r: SearchResult) =
    r.Front |> List.map (fun e -> sprintf "%d %s %.17g" e.Complexity (Checkpoint.treeToText e.Tree) e.Loss)

[<Fact>]
let ``the same seed gives the same front whatever the number of threads`` () =
    let data = table 5 100 -2.0 2.0 [ "x"; "y" ] (fun v -> v[0] * v[1] + v[1])
    let o = { small with Stopping = { StoppingOptions.Default with Iterations = Some 8 } }
    let one = search { o with Threads = Some 1 } data
    let two = search { o with Threads = Some 2 } data
    let again = search { o with Threads = Some 2 } data
    Assert.Equal<string list>(frontText one, frontText two)
    Assert.Equal<string list>(frontText two, frontText again)
    let otherSeed = search { o with Seed = 7L } data
    Assert.NotEqual<string list>(frontText one, frontText otherSeed)

[<Fact>]
let ``constraints on size and nesting are respected`` () =
    let data = table 6 100 -3.0 3.0 [ "x" ] (fun v -> sin (sin v[0]) + v[0])
    let o =
        { small with
            Space = { small.Space with UnaryOperators = [ "sin" ]; MaxSize = 7; NestedLimits = [ "sin", "sin", 0 ] }
            Stopping = { StoppingOptions.Default with Iterations = Some 10 } }
    let r = search o data
    let sin = Operators.indexOf "sin"
    for e in r.Front do
        Assert.True(e.Complexity <= 7)
        Assert.Equal(0, Tree.maxNested sin sin e.Tree)

[<Fact>]
let ``a resumed search continues exactly where its checkpoint stopped`` () =
    let data = table 7 100 -2.0 2.0 [ "x" ] (fun v -> v[0] * v[0] + 1.0)
    let path = IO.Path.Combine(IO.Path.GetTempPath(), sprintf "discovery-checkpoint-%O.json" (Guid.NewGuid()))
    try
        let o = { small with Stopping = { StoppingOptions.Default with Iterations = Some 6 }; CheckpointInterval = TimeSpan.Zero }
        let straight = search { o with Stopping = { o.Stopping with Iterations = Some 12 } } data
        search { o with CheckpointPath = Some path } data |> ignore
        let resumed =
            match Search.resume { o with Stopping = { o.Stopping with Iterations = Some 12 } } data path ignore CancellationToken.None with
            | Ok r -> r
            | Error e -> failwith e
        Assert.Equal(12, resumed.Iterations)
        Assert.Equal<string list>(frontText straight, frontText resumed)
    finally
        IO.File.Delete path

[<Fact>]
let ``cancellation returns the front found so far`` () =
    let data = table 8 100 -2.0 2.0 [ "x" ] (fun v -> exp v[0] + v[0])
    use cts = new CancellationTokenSource()
    let o = { small with Stopping = { StoppingOptions.Default with Iterations = Some 1000 } }
    let r =
        match Search.run o data [] (fun p -> if p.Iteration >= 2 then cts.Cancel()) cts.Token with
        | Ok r -> r
        | Error e -> failwith e
    Assert.Equal(Cancelled, r.StoppedBy)
    Assert.Equal(2, r.Iterations)
    Assert.NotEmpty r.Front

[<Fact>]
let ``a guess seeds the search`` () =
    let data = table 9 100 0.5 3.0 [ "x"; "y" ] (fun v -> 3.7 * v[0] / (1.0 + v[1] * v[1]))
    let guess = Expr.approx 2.0 * x / (1 + Expr.powerInt y 2)
    let o = { small with Stopping = { StoppingOptions.Default with Iterations = Some 1 } }
    match Search.run o data [ guess ] ignore CancellationToken.None with
    | Ok r -> Assert.True(r.Front |> List.exists (fun e -> e.Loss < 1e-12), "the tuned guess should be on the front")
    | Error e -> failwith e

[<Fact>]
let ``bad options and bad data are reported, not thrown`` () =
    let data = table 10 10 0.0 1.0 [ "x" ] (fun v -> v[0])
    let unknown = small |> withOperators [ "add"; "frobnicate" ] []
    match Search.run unknown data [] ignore CancellationToken.None with
    | Error e -> Assert.Contains("frobnicate", e)
    | Ok _ -> failwith "unknown operator accepted"
    let bad = { data with Target = Array.append data.Target.[.. 8] [| nan |] }
    match Search.run small bad [] ignore CancellationToken.None with
    | Error e -> Assert.Contains("row 10", e)
    | Ok _ -> failwith "NaN target accepted"

[<Fact>]
let ``rational structure detection finds a weighted mean and a lens law exactly`` () =
    let mean = table 5 400 1.0 5.0 [ "m1"; "m2"; "r1"; "r2" ] (fun v -> (v[0] * v[2] + v[1] * v[3]) / (v[0] + v[1]))
    let lens = table 6 400 1.0 5.0 [ "d1"; "d2"; "n" ] (fun v -> 1.0 / (1.0 / v[0] + v[2] / v[1]))
    for data, truth in [ mean, "(m1*r1 + m2*r2)/(m1 + m2)"; lens, "1/(1/d1 + n/d2)" ] do
        let expected = match Parse.expression truth with Ok e -> e | Error e -> failwithf "%O" e
        let guesses = Seeding.rational data
        Assert.True(guesses |> List.exists (fun g -> Equivalence.areEquivalent expected (rounded 6 g)),
                    sprintf "no guess is %s: %A" truth (guesses |> List.map Print.infix))

[<Fact>]
let ``rational structure detection offers nothing where no sparse ratio of quadratics fits`` () =
    let data = table 7 400 0.5 3.0 [ "x"; "y" ] (fun v -> sin v[0] * exp v[1])
    Assert.Empty(Seeding.rational data)

[<Fact>]
let ``the search recovers a weighted mean through its rational seed`` () =
    let data = table 8 300 1.0 5.0 [ "m1"; "m2"; "r1"; "r2" ] (fun v -> (v[0] * v[2] + v[1] * v[3]) / (v[0] + v[1]))
    let r = search (small |> withOperators [ "add"; "sub"; "mul"; "div" ] [] |> fun o -> { o with Stopping = { o.Stopping with Iterations = Some 3 } }) data
    assertRecovered "(m1*r1 + m2*r2)/(m1 + m2)" 11 r
