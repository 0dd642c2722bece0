// Sample: symbolic regression from an F# script.
// Build first (dotnet build, in any configuration), then: dotnet fsi samples/feynman.fsx [--quick]
// bin/latest holds the core of the last build, whatever its configuration (see build/LatestCoreForScripts.targets).
#r "../src/Symbolic.FSharp/bin/latest/Symbolic.FSharp.dll"
#r "nuget: FParsec, 1.1.1"
#r "nuget: MathNet.Numerics, 5.0.0"
#r "nuget: System.Numerics.Tensors, 10.0.0"

open System
open Symbolic
open Symbolic.Search

let quick = fsi.CommandLineArgs |> Array.contains "--quick"
let rng = Random 2
let rows = 400
let sample lo hi = Array.init rows (fun _ -> lo + (hi - lo) * rng.NextDouble())
// Kinetic energy K = m*(v^2 + u^2 + w^2)/2 (Feynman I.13.4).
let m, v, u, w = sample 1.0 5.0, sample 1.0 5.0, sample 1.0 5.0, sample 1.0 5.0
let k = Array.init rows (fun i -> 0.5 * m[i] * (v[i] * v[i] + u[i] * u[i] + w[i] * w[i]))
let data = { Variables = [| "m"; "v"; "u"; "w" |]; Columns = [| m; v; u; w |]; Target = k; Weights = None }
let options =
    { SearchOptions.Default with
        Seed = 2L
        Stopping =
            { StoppingOptions.Default with
                Iterations = Some(if quick then 2 else 200)
                Timeout = Some(TimeSpan.FromSeconds 30.0)
                TargetLoss = Some 1e-24 } }

match Search.run options data [] (fun p -> if p.Iteration % 10 = 0 then printfn "iteration %d, best loss %g" p.Iteration p.BestLoss) Threading.CancellationToken.None with
| Error e -> eprintfn "search failed: %s" e; exit 2
| Ok result ->
    for e in result.Front do
        printfn "%3d  %-12.4g  K = %s" e.Complexity e.Loss (Print.infixWith (Print.withDigits 6) e.Expression)
    match result.Chosen with
    | Some c ->
        let truth = match Parse.expression "m*(v^2 + u^2 + w^2)/2" with Ok t -> t | Error e -> failwithf "%O" e
        printfn "chosen: K = %s (%s)" (Print.infix c.Expression)
            (if Equivalence.isSymbolicSolution truth c.Expression then "the law" else "not the law")
    | None -> printfn "nothing found"
