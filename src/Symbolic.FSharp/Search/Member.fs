namespace Symbolic.Search

/// One candidate of a population with what the search knows about it.
type Member =
    { Tree: Tree
      /// Loss on the full data (or the last batch it was judged on, while batching).
      Loss: float
      /// Loss normalised by the baseline loss plus the constant parsimony penalty; what selection compares.
      Cost: float
      Complexity: int
      /// Creation stamp on its island: lower is older. Replacement removes the oldest.
      Birth: int64
      /// Whether the tree has been through the simplifier since it last changed (simplifying is not cheap).
      Simplified: bool }

/// How often each complexity occurs among recent candidates, for adaptive parsimony.
type ComplexityFrequencies(counts: float[]) =
    let mutable total = Array.sum counts

    /// Fresh statistics for complexities up to `maxSize`: every complexity counted once.
    new(maxSize: int) = ComplexityFrequencies(Array.create (maxSize + 2) 1.0)

    /// The raw counts, for checkpoints.
    member _.Counts = Array.copy counts

    /// Records one candidate of this complexity.
    member _.Add(complexity: int) =
        let c = min complexity (counts.Length - 1)
        counts[c] <- counts[c] + 1.0
        total <- total + 1.0

    /// Halves all counts, so the statistics follow the search.
    member _.Decay() =
        for i in 0 .. counts.Length - 1 do
            counts[i] <- counts[i] * 0.5
        total <- Array.sum counts

    /// Share of recent candidates with this complexity.
    member _.Frequency(complexity: int) = counts[min complexity (counts.Length - 1)] / total

    /// Merges another island's counts (same maximum size).
    member _.AddFrom(other: ComplexityFrequencies) =
        for i in 0 .. counts.Length - 1 do
            counts[i] <- counts[i] + other.Count i
        total <- Array.sum counts

    member _.Count(i: int) = counts[i]
