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

    /// Writes atomically (temporary file, then rename), so a crash never leaves a half-written checkpoint.
    let write (path: string) (state: CheckpointState) =
        let full = Path.GetFullPath path
        match Path.GetDirectoryName full with
        | null | "" -> ()
        | dir -> Directory.CreateDirectory dir |> ignore
        let temp = full + ".tmp"
        File.WriteAllText(temp, JsonSerializer.Serialize(state, jsonOptions))
        File.Move(temp, full, true)

    /// Reads a checkpoint; Error says why it cannot be used.
    let read (path: string) : Result<CheckpointState, string> =
        try
            match box (JsonSerializer.Deserialize<CheckpointState>(File.ReadAllText path, jsonOptions)) with
            | null -> Error(sprintf "%s: empty checkpoint" path)
            | :? CheckpointState as s when s.FormatVersion <> 1 -> Error(sprintf "%s: checkpoint format %d is not supported" path s.FormatVersion)
            | s -> Ok(unbox<CheckpointState> s)
        with
        | :? IOException as e -> Error(sprintf "%s: %s" path e.Message)
        | :? JsonException as e -> Error(sprintf "%s: not a search checkpoint (%s)" path e.Message)
