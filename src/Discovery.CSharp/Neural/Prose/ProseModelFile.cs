using System.Text.Json;
using System.Text.Json.Serialization;
using static TorchSharp.torch;

namespace Discovery.Neural.Prose;

/// <summary>What a model folder says about its network and how it was trained (<c>prose.json</c>).</summary>
/// <param name="Model">The network's sizes.</param>
/// <param name="Families">The training families.</param>
/// <param name="ObservedPoints">Observed points per instance.</param>
/// <param name="PredictedPoints">Predicted points per instance.</param>
/// <param name="TimeEnd">Span of the training instances, [0, TimeEnd].</param>
/// <param name="Steps">Optimisation steps done.</param>
/// <param name="Samples">Training instances seen.</param>
/// <param name="Seconds">Wall-clock training time.</param>
/// <param name="Seed">Training seed.</param>
/// <param name="Vocabulary">Number of tokens (a check that the code's vocabulary is the one trained).</param>
public sealed record ProseModelInfo(ProseModelOptions Model, IReadOnlyList<string> Families, int ObservedPoints, int PredictedPoints,
    double TimeEnd, long Steps, long Samples, double Seconds, int Seed, int Vocabulary)
{
    /// <summary>The data options the model was trained with (default noise and spread).</summary>
    public ProseDataOptions DataOptions() =>
        new(Families, TimeEnd: TimeEnd, Points: ObservedPoints + PredictedPoints, ObservedPoints: ObservedPoints);
}

/// <summary>
/// A model folder: <c>prose.json</c> (<see cref="ProseModelInfo"/>) and <c>prose.bin</c> (TorchSharp weights), optionally
/// <c>training.csv</c> (the curve). The shipped small model lives in <c>models/prose-small</c> of the repository and is
/// copied next to the command-line tool.
/// </summary>
public static class ProseModelFile
{
    /// <summary>The info file's name.</summary>
    public const string InfoFile = "prose.json";

    /// <summary>The weights file's name.</summary>
    public const string WeightsFile = "prose.bin";

    /// <summary>The training curve's name.</summary>
    public const string CurveFile = "training.csv";

    private static readonly JsonSerializerOptions Json = new()
    {
        WriteIndented = true,
        PropertyNamingPolicy = JsonNamingPolicy.SnakeCaseLower,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    /// <summary>True when <paramref name="folder"/> holds a model.</summary>
    public static bool Exists(string folder) =>
        File.Exists(Path.Combine(folder, InfoFile)) && File.Exists(Path.Combine(folder, WeightsFile));

    /// <summary>Writes the weights and the info (weights first, then the info through a temporary file, so a crash leaves the previous pair readable).</summary>
    public static void Save(string folder, ProseModel model, ProseModelInfo info)
    {
        Directory.CreateDirectory(folder);
        var weights = Path.Combine(folder, WeightsFile);
        // Unique temporary names: a file of the user's called prose.bin.tmp is never touched.
        var temporary = $"{weights}.{Guid.NewGuid():N}.tmp";
        try
        {
            model.save(temporary);
            File.Move(temporary, weights, true);
        }
        finally
        {
            if (File.Exists(temporary)) File.Delete(temporary);
        }
        Symbolic.Search.SealedFile.writeAtomically(Path.Combine(folder, InfoFile), JsonSerializer.Serialize(info, Json));
    }

    /// <summary>The info of the model in <paramref name="folder"/>; InvalidDataException when it is missing or unreadable.</summary>
    public static ProseModelInfo ReadInfo(string folder)
    {
        var path = Path.Combine(folder, InfoFile);
        if (!File.Exists(path)) throw new InvalidDataException($"{folder}: no {InfoFile} (not a PROSE model folder)");
        try
        {
            var info = JsonSerializer.Deserialize<ProseModelInfo>(File.ReadAllText(path), Json)
                       ?? throw new InvalidDataException($"{path}: empty");
            if (info.Vocabulary != ProseTokenizer.VocabularySize)
                throw new InvalidDataException($"{path}: trained with {info.Vocabulary} tokens but this version has {ProseTokenizer.VocabularySize}");
            return info;
        }
        catch (JsonException e)
        {
            throw new InvalidDataException($"{path}: {e.Message}");
        }
    }

    /// <summary>Loads the model in <paramref name="folder"/> (evaluation mode); InvalidDataException when it cannot.</summary>
    public static (ProseModel Model, ProseModelInfo Info) Load(string folder)
    {
        var info = ReadInfo(folder);
        var model = new ProseModel(info.Model);
        var weights = Path.Combine(folder, WeightsFile);
        if (!File.Exists(weights)) throw new InvalidDataException($"{folder}: no {WeightsFile}");
        try
        {
            model.load(weights);
        }
        catch (Exception e) when (e is ArgumentException or InvalidOperationException or IOException or EndOfStreamException)
        {
            throw new InvalidDataException($"{weights}: {e.Message}");
        }
        model.eval();
        return (model, info);
    }

    /// <summary>
    /// The shipped small model's folder: <c>models/prose-small</c> next to the running assembly, else in the current
    /// folder or one of its parents (a repository checkout); null when none is found.
    /// </summary>
    public static string? FindShipped()
    {
        var candidates = new List<string> { Path.Combine(AppContext.BaseDirectory, "models", "prose-small") };
        for (var dir = new DirectoryInfo(Directory.GetCurrentDirectory()); dir is not null; dir = dir.Parent)
            candidates.Add(Path.Combine(dir.FullName, "models", "prose-small"));
        return candidates.FirstOrDefault(Exists);
    }
}
