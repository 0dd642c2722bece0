namespace Discovery.Pipeline;

/// <summary>Options of the main job (what <c>discovery discover</c> takes).</summary>
/// <param name="Method">"auto" (by the data), "sr" or "sindy".</param>
/// <param name="Target">Table column to explain (default: the last).</param>
/// <param name="TimeColumn">Time column of trajectories (default: t or time).</param>
/// <param name="Seconds">Time budget of each symbolic search.</param>
/// <param name="Operators">Operators of the symbolic search.</param>
/// <param name="Seed">Seed of every random choice.</param>
public sealed record DiscoverOptions(
    string Method = "auto",
    string? Target = null,
    string? TimeColumn = null,
    double Seconds = 30,
    string Operators = "+,-,*,/,sin,cos,exp,log,sqrt",
    long Seed = 0);
