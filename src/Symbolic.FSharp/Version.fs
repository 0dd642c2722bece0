namespace Symbolic

type internal CoreAssemblyMarker = class end

/// Identifies the build of the symbolic core, for reports and result files.
[<RequireQualifiedAccess>]
module CoreVersion =
    /// The version of this assembly as "major.minor.patch".
    let current =
        match typeof<CoreAssemblyMarker>.Assembly.GetName().Version with
        | null -> "0.0.0"
        | v -> sprintf "%d.%d.%d" v.Major v.Minor v.Build
