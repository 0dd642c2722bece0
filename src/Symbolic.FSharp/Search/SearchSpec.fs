namespace Symbolic.Search

open System
open System.Globalization
open System.Text.Json

/// The part of a search that island workers need, in a form that travels as JSON: the search space, evolution,
/// mutation and constant options, the loss (built-in losses only), and the data. Stopping rules, selection and
/// checkpoints stay with the coordinator.
type SearchSpecText =
    { FormatVersion: int
      Binary: string[]
      Unary: string[]
      MaxSize: int
      MaxDepth: int
      /// "operator:limit,limit" per entry.
      ArgumentLimits: string[]
      /// "outer,inner,count" per entry.
      NestedLimits: string[]
      /// "operator:complexity" per entry.
      OperatorComplexity: string[]
      ConstantComplexity: int
      VariableComplexity: int
      Evolution: EvolutionOptions
      Mutations: MutationWeights
      Optimiser: string
      ConstantProbability: float
      ConstantIterations: int
      ConstantRestarts: int
      LinearScaling: bool
      Loss: string
      /// 0: all rows.
      BatchSize: int
      Seed: int64
      Variables: string[]
      Columns: float[][]
      Target: float[]
      /// Empty: no weights.
      Weights: float[] }

[<RequireQualifiedAccess>]
module SearchSpec =
    let private json = JsonSerializerOptions(NumberHandling = Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)
    let private invariant (x: int) = x.ToString(CultureInfo.InvariantCulture)

    /// The JSON text of what workers need of `options` and `data`; Error when the loss is a user function (code does
    /// not travel).
    let toJson (options: SearchOptions) (data: Dataset) : Result<string, string> =
        let loss =
            match options.Loss with
            | MeanSquaredError -> Ok "mse"
            | MeanAbsoluteError -> Ok "mae"
            | Elementwise _
            | Objective _ -> Error "a search with a user-defined loss function cannot run on a cluster (only built-in losses travel)"
        loss
        |> Result.map (fun loss ->
            let space = options.Space
            let spec =
                { FormatVersion = 1
                  Binary = Array.ofList space.BinaryOperators
                  Unary = Array.ofList space.UnaryOperators
                  MaxSize = space.MaxSize
                  MaxDepth = space.MaxDepth
                  ArgumentLimits =
                    space.ArgumentLimits |> Map.toArray |> Array.map (fun (op, limits) -> op + ":" + String.Join(",", limits |> List.map invariant))
                  NestedLimits = space.NestedLimits |> List.map (fun (a, b, n) -> sprintf "%s,%s,%d" a b n) |> Array.ofList
                  OperatorComplexity = space.OperatorComplexity |> Map.toArray |> Array.map (fun (op, c) -> op + ":" + invariant c)
                  ConstantComplexity = space.ConstantComplexity
                  VariableComplexity = space.VariableComplexity
                  Evolution = options.Evolution
                  Mutations = options.Mutations
                  Optimiser = (match options.Constants.Optimiser with LevenbergMarquardt -> "lm" | Bfgs -> "bfgs")
                  ConstantProbability = options.Constants.Probability
                  ConstantIterations = options.Constants.Iterations
                  ConstantRestarts = options.Constants.Restarts
                  LinearScaling = options.Constants.LinearScaling
                  Loss = loss
                  BatchSize = defaultArg options.BatchSize 0
                  Seed = options.Seed
                  Variables = data.Variables
                  Columns = data.Columns
                  Target = data.Target
                  Weights = defaultArg data.Weights [||] }
            JsonSerializer.Serialize(spec, json))

    let private parseInt (s: string) =
        match Int32.TryParse(s.Trim(), NumberStyles.Integer, CultureInfo.InvariantCulture) with
        | true, v -> Ok v
        | _ -> Error(sprintf "'%s' is not an integer" s)

    let private pair (entry: string) =
        match entry.LastIndexOf ':' with
        | i when i > 0 -> Ok(entry.Substring(0, i), entry.Substring(i + 1))
        | _ -> Error(sprintf "'%s' is not 'name:value'" entry)

    /// Options (with default stopping, selection and threads) and data read from `toJson` output, or why not.
    let ofJson (text: string) : Result<SearchOptions * Dataset, string> =
        let spec =
            try
                match box (JsonSerializer.Deserialize<SearchSpecText>(text, json)) with
                | :? SearchSpecText as s when s.FormatVersion = 1 -> Ok s
                | :? SearchSpecText as s -> Error(sprintf "search spec format %d is not supported" s.FormatVersion)
                | _ -> Error "empty search spec"
            with :? JsonException as e -> Error(sprintf "not a search spec (%s)" e.Message)
        spec
        |> Result.bind (fun s ->
            let argumentLimits =
                s.ArgumentLimits
                |> Array.map (fun e ->
                    pair e |> Result.bind (fun (op, limits) ->
                        limits.Split(',') |> Array.map parseInt |> IslandWork.all |> Result.map (fun l -> op, List.ofArray l)))
                |> IslandWork.all
            let nested =
                s.NestedLimits
                |> Array.map (fun e ->
                    match e.Split(',') with
                    | [| a; b; n |] -> parseInt n |> Result.map (fun n -> a, b, n)
                    | _ -> Error(sprintf "'%s' is not 'outer,inner,count'" e))
                |> IslandWork.all
            let complexity =
                s.OperatorComplexity
                |> Array.map (fun e -> pair e |> Result.bind (fun (op, c) -> parseInt c |> Result.map (fun c -> op, c)))
                |> IslandWork.all
            let loss =
                match s.Loss with
                | "mse" -> Ok MeanSquaredError
                | "mae" -> Ok MeanAbsoluteError
                | other -> Error(sprintf "unknown loss '%s'" other)
            let optimiser =
                match s.Optimiser with
                | "lm" -> Ok LevenbergMarquardt
                | "bfgs" -> Ok Bfgs
                | other -> Error(sprintf "unknown constant optimiser '%s'" other)
            match argumentLimits, nested, complexity, loss, optimiser with
            | Ok argumentLimits, Ok nested, Ok complexity, Ok loss, Ok optimiser ->
                let options =
                    { SearchOptions.Default with
                        Space =
                            { BinaryOperators = List.ofArray s.Binary
                              UnaryOperators = List.ofArray s.Unary
                              MaxSize = s.MaxSize
                              MaxDepth = s.MaxDepth
                              ArgumentLimits = Map.ofArray argumentLimits
                              NestedLimits = List.ofArray nested
                              OperatorComplexity = Map.ofArray complexity
                              ConstantComplexity = s.ConstantComplexity
                              VariableComplexity = s.VariableComplexity }
                        Evolution = s.Evolution
                        Mutations = s.Mutations
                        Constants =
                            { Optimiser = optimiser
                              Probability = s.ConstantProbability
                              Iterations = s.ConstantIterations
                              Restarts = s.ConstantRestarts
                              LinearScaling = s.LinearScaling }
                        Loss = loss
                        BatchSize = (if s.BatchSize > 0 then Some s.BatchSize else None)
                        Seed = s.Seed }
                let data =
                    { Variables = s.Variables
                      Columns = s.Columns
                      Target = s.Target
                      Weights = (if isNull (box s.Weights) || s.Weights.Length = 0 then None else Some s.Weights) }
                Ok(options, data)
            | Error e, _, _, _, _
            | _, Error e, _, _, _
            | _, _, Error e, _, _
            | _, _, _, Error e, _
            | _, _, _, _, Error e -> Error e)
