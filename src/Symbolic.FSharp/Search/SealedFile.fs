namespace Symbolic.Search

open System
open System.IO
open System.Security.Cryptography
open System.Text
open System.Text.Json

/// Files the tool writes to resume work later (checkpoints). Each is sealed: a JSON envelope naming its format and
/// holding the SHA-256 of its payload, so that a damaged or edited file is recognised instead of silently giving a
/// different run, and a file the tool did not write is never taken for one of its own. Files are written to a
/// uniquely named temporary file beside the target and then renamed into place, so a crash leaves either the old
/// file or the new one, and nobody else's file is touched on the way.
[<RequireQualifiedAccess>]
module SealedFile =
    let private hashOf (payload: byte[]) = Convert.ToHexString(SHA256.HashData payload).ToLowerInvariant()

    /// Writes `text` to `path` through a temporary file in the same folder (a fresh random name, created exclusively,
    /// removed again if anything fails), then renames it over `path`.
    let writeAtomically (path: string) (text: string) =
        let full = Path.GetFullPath path
        match Path.GetDirectoryName full with
        | null | "" -> ()
        | dir -> Directory.CreateDirectory dir |> ignore
        let temp = sprintf "%s.%s.tmp" full (Guid.NewGuid().ToString("N").Substring(0, 12))
        try
            use stream = new FileStream(temp, FileMode.CreateNew, FileAccess.Write)
            let bytes = UTF8Encoding(false).GetBytes text
            stream.Write(bytes, 0, bytes.Length)
            stream.Flush(true)
            stream.Dispose()
            File.Move(temp, full, true)
        with _ ->
            (try File.Delete temp with _ -> ())
            reraise ()

    /// The sealed envelope of `payload` (JSON text) in the format called `format`.
    let seal (format: string) (payload: string) =
        let hash = hashOf (UTF8Encoding(false).GetBytes payload)
        sprintf "{\"Format\":%s,\"Sha256\":\"%s\",\"Payload\":%s}" (JsonSerializer.Serialize format) hash payload

    /// The payload of a sealed file's bytes, or why they are not an intact file of `format`. `legacy` says whether the
    /// bytes look like an unsealed file of an older version (for a clearer message).
    let unseal (format: string) (legacy: JsonElement -> bool) (bytes: byte[]) : Result<string, string> =
        // Strict decoding first: a flipped bit can make invalid UTF-8, which JSON strings would only report lazily.
        match (try Ok(UTF8Encoding(false, true).GetString bytes) with :? DecoderFallbackException -> Error()) with
        | Error() -> Error "damaged: not valid UTF-8 text"
        | Ok text ->
        try
            use doc = JsonDocument.Parse text
            let root = doc.RootElement
            let property (name: string) =
                match root.ValueKind with
                | JsonValueKind.Object ->
                    match root.TryGetProperty name with
                    | true, v -> Some v
                    | _ -> None
                | _ -> None
            match property "Format", property "Sha256", property "Payload" with
            | Some f, Some h, Some p when f.ValueKind = JsonValueKind.String && f.GetString() = format && h.ValueKind = JsonValueKind.String ->
                let payload = p.GetRawText()
                // Ordinal and case-sensitive: any change to the stored hash, even of letter case, is damage.
                if String.Equals(hashOf (UTF8Encoding(false).GetBytes payload), h.GetString(), StringComparison.Ordinal) then Ok payload
                else Error "the checksum does not match: the file is damaged or was edited"
            | Some f, _, _ when f.ValueKind = JsonValueKind.String && f.GetString() = format -> Error "the file is damaged (its checksum or payload is missing)"
            | _ when legacy root -> Error "written by an older version without a checksum; it cannot be resumed safely"
            | _ -> Error(sprintf "not a %s file" format)
        with :? JsonException as e -> Error(sprintf "not a %s file, or damaged (%s)" format e.Message)

    /// Reads and unseals the file at `path`; errors name the file.
    let read (format: string) (legacy: JsonElement -> bool) (path: string) : Result<string, string> =
        try
            if Directory.Exists path then Error(sprintf "%s: is a folder, expected a %s file" path format)
            else unseal format legacy (File.ReadAllBytes path) |> Result.mapError (fun e -> sprintf "%s: %s" path e)
        with
        | :? IOException as e -> Error(sprintf "%s: %s" path e.Message)
        | :? UnauthorizedAccessException as e -> Error(sprintf "%s: %s" path e.Message)
