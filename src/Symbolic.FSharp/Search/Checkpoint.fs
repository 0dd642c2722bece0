namespace Symbolic.Search

open System
open System.Globalization
open System.IO
open System.Text.Json
open Symbolic

/// A member as stored in a checkpoint.
type CheckpointMember =
    { Tree: string
      Loss: float
      Birth: int64
      Simplified: bool }

/// An island as stored in a checkpoint: its members and everything needed to continue its random stream exactly.
type CheckpointIsland =
    { Rng: uint64[]
      NextBirth: int64
      Evaluations: int64
      Frequencies: float[]
      Members: CheckpointMember[] }

/// The whole state of a search between two iterations.
type CheckpointState =
    { FormatVersion: int
      Seed: int64
      Iteration: int
      ElapsedSeconds: float
      Variables: string[]
      Coordinator: uint64[]
      Islands: CheckpointIsland[]
      HallOfFame: CheckpointMember[] }

/// Writes and reads search checkpoints (JSON). Trees are stored in prefix form with operator names, so a checkpoint
/// stays valid if operators are registered in another order.
[<RequireQualifiedAccess>]
module Checkpoint =
    /// Prefix text of a tree: operator names, `v<i>` for variables, `c<value>` for constants (round-trip format).
    let treeToText (t: Tree) =
        let sb = Text.StringBuilder()
        let rec go t =
            if sb.Length > 0 then sb.Append ' ' |> ignore
            match t with
            | Const c -> sb.Append('c').Append(c.ToString("R", CultureInfo.InvariantCulture)) |> ignore
            | Var i -> sb.Append('v').Append(i) |> ignore
            | Unary(op, a) ->
                sb.Append((Operators.byIndex op).Name) |> ignore
                go a
            | Binary(op, a, b) ->
                sb.Append((Operators.byIndex op).Name) |> ignore
                go a
                go b
        go t
        sb.ToString()

    /// Parses `treeToText` output.
    let treeOfText (text: string) : Result<Tree, string> =
        let tokens = text.Split(' ', StringSplitOptions.RemoveEmptyEntries)
        let mutable i = 0
        let rec go () =
            if i >= tokens.Length then failwith "truncated tree"
            let token = tokens[i]
            i <- i + 1
            match token[0] with
            | 'c' when token.Length > 1 && (Char.IsDigit token[1] || token[1] = '-' || token[1] = 'N' || token[1] = 'I' || token[1] = '.') ->
                Const(Double.Parse(token.Substring 1, CultureInfo.InvariantCulture))
            | 'v' when token.Length > 1 && Char.IsDigit token[1] -> Var(int (token.Substring 1))
            | _ ->
                let index = Operators.indexOf token
                match (Operators.byIndex index).Arity with
                | 1 -> Unary(index, go ())
                | _ ->
                    let a = go ()
                    Binary(index, a, go ())
        try
            let t = go ()
            if i <> tokens.Length then Error "trailing tokens" else Ok t
        with e -> Error(sprintf "bad tree '%s': %s" text e.Message)

    let private jsonOptions =
        JsonSerializerOptions(WriteIndented = false, NumberHandling = Serialization.JsonNumberHandling.AllowNamedFloatingPointLiterals)

    /// The format name in a checkpoint's seal.
    [<Literal>]
    let Format = "discovery-search-checkpoint"

    /// The version of the state inside the seal.
    [<Literal>]
    let Version = 2

    /// The longest elapsed time a checkpoint may claim (about 31 years); more is damage, and would overflow TimeSpan.
    let private maxElapsedSeconds = 1e9

    /// Longest tree text read back (tokens); far above any search's size limit, and low enough that the recursive
    /// reader cannot exhaust the stack on a crafted file.
    let private maxTreeTokens = 4096

    /// Parses `treeToText` output, refusing trees longer than any search builds.
    let treeOfBoundedText (text: string) : Result<Tree, string> =
        if isNull text then Error "a member has no tree"
        elif text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length > maxTreeTokens then
            Error(sprintf "a tree has more than %d nodes" maxTreeTokens)
        else treeOfText text

    let rec private varsBelow (n: int) (t: Tree) =
        match t with
        | Const _ -> true
        | Var i -> i >= 0 && i < n
        | Unary(_, a) -> varsBelow n a
        | Binary(_, a, b) -> varsBelow n a && varsBelow n b

    let private checkMember (variables: int) (where: string) (m: CheckpointMember) =
        if isNull (box m) then Some(sprintf "%s: a member is missing" where)
        elif m.Birth < 0L then Some(sprintf "%s: a member has a negative birth stamp (%d)" where m.Birth)
        else
            match treeOfBoundedText m.Tree with
            | Error e -> Some(sprintf "%s: %s" where e)
            | Ok t when not (varsBelow variables t) -> Some(sprintf "%s: a tree uses a variable beyond the %d of the data" where variables)
            | Ok _ -> None

    let private checkIsland (variables: int) (k: int) (island: CheckpointIsland) =
        let where = sprintf "island %d" k
        if isNull (box island) then Some(sprintf "%s is missing" where)
        elif isNull island.Rng || island.Rng.Length <> 4 then Some(sprintf "%s: the random state needs four words" where)
        elif island.NextBirth < 0L || island.Evaluations < 0L then Some(sprintf "%s: negative counters" where)
        elif isNull island.Frequencies || island.Frequencies |> Array.exists (fun f -> not (Double.IsFinite f) || f < 0.0) then
            Some(sprintf "%s: the complexity frequencies are missing or not finite and non-negative" where)
        elif isNull island.Members || island.Members.Length = 0 then Some(sprintf "%s has no members" where)
        else island.Members |> Array.tryPick (checkMember variables where)

    /// Why a checkpoint's state cannot be what a search wrote (missing parts, impossible counters, out-of-range
    /// indices), or None. JSON can say `null` or `-1e308` anywhere; nothing past this check has to expect it.
    let validate (s: CheckpointState) : string option =
        if isNull s.Variables || s.Variables.Length = 0 || s.Variables |> Array.exists isNull then Some "the variable names are missing"
        elif isNull s.Coordinator || s.Coordinator.Length <> 4 then Some "the coordinator's random state needs four words"
        elif s.Iteration < 0 then Some(sprintf "the iteration count is negative (%d)" s.Iteration)
        elif not (Double.IsFinite s.ElapsedSeconds) || s.ElapsedSeconds < 0.0 || s.ElapsedSeconds > maxElapsedSeconds then
            Some(sprintf "the elapsed time %s is not between 0 and %g seconds" (s.ElapsedSeconds.ToString("R", CultureInfo.InvariantCulture)) maxElapsedSeconds)
        elif isNull s.Islands || s.Islands.Length = 0 then Some "there are no islands"
        elif isNull s.HallOfFame then Some "the hall of fame is missing"
        else
            match s.Islands |> Array.mapi (checkIsland s.Variables.Length) |> Array.tryPick id with
            | Some e -> Some e
            | None -> s.HallOfFame |> Array.tryPick (checkMember s.Variables.Length "hall of fame")

    /// Writes the state sealed with its checksum, atomically (a uniquely named temporary file beside `path`, then a
    /// rename), so a crash never leaves a half-written checkpoint and no other file is touched.
    let write (path: string) (state: CheckpointState) =
        let payload = JsonSerializer.Serialize({ state with FormatVersion = Version }, jsonOptions)
        SealedFile.writeAtomically path (SealedFile.seal Format payload)

    /// An unsealed checkpoint of the first version: a bare state object.
    let private isLegacy (root: JsonElement) =
        root.ValueKind = JsonValueKind.Object && fst (root.TryGetProperty "FormatVersion") && fst (root.TryGetProperty "Islands")

    /// Reads a checkpoint, checking its checksum and that its content is what a search writes; Error says why it
    /// cannot be used, naming the file.
    let read (path: string) : Result<CheckpointState, string> =
        match SealedFile.read Format isLegacy path with
        | Error e -> Error e
        | Ok payload ->
            try
                match box (JsonSerializer.Deserialize<CheckpointState>(payload, jsonOptions)) with
                | :? CheckpointState as s when s.FormatVersion <> Version ->
                    Error(sprintf "%s: checkpoint version %d is not supported" path s.FormatVersion)
                | :? CheckpointState as s ->
                    match validate s with
                    | Some problem -> Error(sprintf "%s: damaged checkpoint: %s" path problem)
                    | None -> Ok s
                | _ -> Error(sprintf "%s: empty checkpoint" path)
            with :? JsonException as e -> Error(sprintf "%s: damaged checkpoint (%s)" path e.Message)
