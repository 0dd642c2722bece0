namespace Discovery.Neural.Plrnn;

/// <summary>The members of the piecewise-linear RNN family.</summary>
public enum PlrnnKind
{
    /// <summary>z' = A z + W relu(z) + h, A diagonal.</summary>
    Plrnn,
    /// <summary>Shallow PLRNN: z' = A z + W1 relu(W2 z + h2) + h1.</summary>
    ShallowPlrnn,
    /// <summary>Clipped shallow PLRNN: z' = A z + W1 (relu(W2 z + h2) - relu(W2 z)) + h1 (orbits stay bounded).</summary>
    ClippedShallowPlrnn,
    /// <summary>Almost-linear RNN: z' = A z + W phi(z) + h, phi = relu on the last P units only, identity on the others.</summary>
    AlRnn,
}

/// <summary>How the latent states are pulled back to the data during training.</summary>
public enum ForcingKind
{
    /// <summary>Sparse teacher forcing: the observed units are replaced by the data every <see cref="TrainingOptions.ForcingInterval"/> steps.</summary>
    Sparse,
    /// <summary>Generalised teacher forcing: every step z~ = (1 - a) z + a x on the observed units, a from a Jacobian-norm estimate, annealed.</summary>
    Generalised,
}

/// <summary>
/// The shape of a model. The first <paramref name="Observed"/> latent units are read out as the observations (identity
/// observation model); the remaining ones start each sequence at x B.
/// </summary>
/// <param name="Kind">Which member of the family.</param>
/// <param name="Latent">M, the number of latent units (at least <paramref name="Observed"/>).</param>
/// <param name="Observed">N, the number of observed variables.</param>
/// <param name="Relu">P, the piecewise-linear units of the AL-RNN (the last P of M); ignored by the other kinds.</param>
/// <param name="Hidden">H, the hidden width of the shallow PLRNN; ignored by the other kinds.</param>
public sealed record PlrnnOptions(PlrnnKind Kind, int Latent, int Observed, int Relu = 2, int Hidden = 50)
{
    /// <summary>Throws ArgumentException when the sizes do not fit together.</summary>
    public void Validate()
    {
        if (Observed < 1) throw new ArgumentException($"at least one observed variable is needed (got {Observed})");
        if (Latent < Observed) throw new ArgumentException($"--latent must be at least the number of observed variables {Observed} (got {Latent})");
        if (Kind == PlrnnKind.AlRnn && (Relu < 1 || Relu > Latent))
            throw new ArgumentException($"--relu must be between 1 and --latent {Latent} (got {Relu})");
        if (Kind is PlrnnKind.ShallowPlrnn or PlrnnKind.ClippedShallowPlrnn && Hidden < 1)
            throw new ArgumentException($"--hidden must be at least 1 (got {Hidden})");
    }
}

/// <summary>Which code computes the gradients.</summary>
public enum TrainingBackend
{
    /// <summary>Native for the AL-RNN and the vanilla PLRNN, TorchSharp for the shallow PLRNN.</summary>
    Auto,
    /// <summary>Hand-written backpropagation through time in C# (AL-RNN and vanilla PLRNN only): no per-operation overhead.</summary>
    Native,
    /// <summary>TorchSharp autograd over the module's unrolled steps (every kind).</summary>
    Torch,
}

/// <summary>How a model is trained.</summary>
/// <param name="Epochs">Number of epochs.</param>
/// <param name="BatchesPerEpoch">Gradient steps per epoch.</param>
/// <param name="BatchSize">Sequences per batch.</param>
/// <param name="SequenceLength">Time steps per sequence.</param>
/// <param name="Forcing">Sparse or generalised teacher forcing.</param>
/// <param name="ForcingInterval">tau of sparse teacher forcing.</param>
/// <param name="StartLearningRate">RAdam's learning rate at the start.</param>
/// <param name="EndLearningRate">The learning rate after the last epoch (exponential decay per epoch in between).</param>
/// <param name="AlphaStart">Generalised forcing: a at the start (1 = full teacher forcing).</param>
/// <param name="AlphaDecay">Generalised forcing: a &lt;- decay a + (1 - decay) a*, a* = max(0, 1 - 1/G), at each estimate.</param>
/// <param name="AlphaEvery">Generalised forcing: batches between two estimates of G.</param>
/// <param name="InputNoise">Gaussian noise (std, in z-scored units) added to the training sequences; 0 for none.</param>
/// <param name="Seed">Seed of initialisation, batch sampling and noise.</param>
/// <param name="CheckpointPath">When set, a checkpoint is written there every <paramref name="CheckpointEvery"/> epochs and at the end.</param>
/// <param name="CheckpointEvery">Epochs between checkpoints.</param>
/// <param name="Backend">Native C# gradients or TorchSharp autograd.</param>
/// <param name="Threads">Intra-op threads TorchSharp may use (the tensors are tiny: 1 is fastest).</param>
/// <param name="SelectEvery">
/// Model selection as in the authors' AL-RNN tutorial: after every <paramref name="SelectEvery"/>-th epoch (the first
/// included) and after the last one, the model runs freely for <paramref name="SelectSteps"/> steps from the first training
/// observation, its D_stsp against the training data is measured, and the model with the lowest one is what training
/// returns. 0 returns the model of the last epoch.
/// </param>
/// <param name="SelectSteps">Length of the free run of the model selection.</param>
public sealed record TrainingOptions(
    int Epochs = 100,
    int BatchesPerEpoch = 50,
    int BatchSize = 16,
    int SequenceLength = 200,
    ForcingKind Forcing = ForcingKind.Sparse,
    int ForcingInterval = 16,
    double StartLearningRate = 1e-3,
    double EndLearningRate = 1e-5,
    double AlphaStart = 1.0,
    double AlphaDecay = 0.95,
    int AlphaEvery = 5,
    double InputNoise = 0.0,
    int Seed = 0,
    string? CheckpointPath = null,
    int CheckpointEvery = 10,
    TrainingBackend Backend = TrainingBackend.Auto,
    int Threads = 1,
    int SelectEvery = 20,
    int SelectSteps = 10000)
{
    /// <summary>Throws ArgumentException for options that cannot train.</summary>
    public void Validate()
    {
        if (Epochs < 0) throw new ArgumentException($"--epochs must be 0 or more (got {Epochs})");
        if (BatchesPerEpoch < 1) throw new ArgumentException($"batches per epoch must be at least 1 (got {BatchesPerEpoch})");
        if (BatchSize < 1) throw new ArgumentException($"--batch must be at least 1 (got {BatchSize})");
        if (SequenceLength < 2) throw new ArgumentException($"--sequence must be at least 2 (got {SequenceLength})");
        if (ForcingInterval < 1) throw new ArgumentException($"--tau must be at least 1 (got {ForcingInterval})");
        if (!(StartLearningRate > 0) || !(EndLearningRate > 0)) throw new ArgumentException("learning rates must be positive");
        if (!(AlphaStart is >= 0 and <= 1)) throw new ArgumentException($"alpha must be in [0, 1] (got {AlphaStart})");
        if (!(InputNoise >= 0)) throw new ArgumentException($"input noise must be 0 or more (got {InputNoise})");
        if (SelectEvery < 0) throw new ArgumentException($"--select-every must be 0 or more (got {SelectEvery})");
        if (SelectSteps < 2) throw new ArgumentException($"the selection's free run needs at least 2 steps (got {SelectSteps})");
    }
}
