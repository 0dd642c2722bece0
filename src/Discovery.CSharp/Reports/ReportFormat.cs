using System.Globalization;

namespace Discovery.Reports;

/// <summary>How numbers, shares, dates and metric names are shown in reports (invariant culture throughout).</summary>
public static class ReportFormat
{
    private static readonly CultureInfo Invariant = CultureInfo.InvariantCulture;

    /// <summary>
    /// A number with <paramref name="digits"/> significant digits: plain between 0.001 and 100000, otherwise as
    /// <c>1.23e-5</c>; "∞", "−∞" and "NaN" for the non-finite values.
    /// </summary>
    public static string Number(double value, int digits = 4)
    {
        if (double.IsNaN(value)) return "NaN";
        if (double.IsPositiveInfinity(value)) return "∞";
        if (double.IsNegativeInfinity(value)) return "−∞";
        if (value == 0) return "0";
        var magnitude = Math.Abs(value);
        if (magnitude >= 1e-3 && magnitude < 1e5)
            return magnitude >= Math.Pow(10, digits) ? value.ToString("0", Invariant) : value.ToString("G" + digits, Invariant);
        var text = value.ToString("0." + new string('#', Math.Max(0, digits - 1)) + "e+0", Invariant);
        return text.Replace("e+", "e", StringComparison.Ordinal);
    }

    /// <summary>
    /// A metric value: like <see cref="Number"/> with six digits, but an R² (any key starting or ending with "r2") below 1
    /// gets as many digits as it takes not to show as 1 (0.9999999 stays 0.9999999); large whole numbers (counts) are
    /// shown in full with thousands separators (1,234,567).
    /// </summary>
    public static string Metric(string key, double value)
    {
        var lower = key.ToLowerInvariant();
        var isR2 = lower.StartsWith("r2", StringComparison.Ordinal) || lower.EndsWith("r2", StringComparison.Ordinal);
        if (double.IsFinite(value) && Math.Abs(value) >= 1e5 && Math.Abs(value) < 1e15 && value == Math.Floor(value))
            return value.ToString("N0", Invariant);
        if (!isR2 || !double.IsFinite(value) || value >= 1 || value < 0.99) return Number(value, 6);
        var digits = (int)Math.Ceiling(-Math.Log10(1 - value)) + 2;
        return Number(value, Math.Clamp(digits, 6, 16));
    }

    /// <summary>A share as a percentage with up to three significant digits: 0.4567 is "45.7%", 1 is "100%".</summary>
    public static string Percent(double share) =>
        double.IsFinite(share) ? (share * 100).ToString(Math.Abs(share) >= 0.1 ? "0.#" : "0.##", Invariant) + "%" : Number(share);

    /// <summary>A timestamp in UTC, to the minute: "2026-11-29 09:40 UTC".</summary>
    public static string Date(DateTimeOffset when) => when.ToUniversalTime().ToString("yyyy-MM-dd HH:mm", Invariant) + " UTC";

    /// <summary>The display name of a metric key ("r2" is "R²", "mse" "MSE", "seconds" "run time (s)"); unknown keys as they are.</summary>
    public static string MetricName(string key) => key.ToLowerInvariant() switch
    {
        "r2" => "R²",
        "r2_test" or "test_r2" => "R² (held-out data)",
        "r2_holdout" or "holdout_r2" => "R² (held-out data)",
        "r2_validation" or "validation_r2" => "R² (validation data)",
        "mse" => "MSE",
        "rmse" => "RMSE",
        "nrmse" => "normalised RMSE",
        "mae" => "MAE",
        "loss" => "loss",
        "seconds" => "run time (s)",
        "iterations" => "iterations",
        "evaluations" => "candidate evaluations",
        "noise" or "noise_level" => "noise level",
        "noise_estimate" => "estimated noise level",
        "aic" => "AIC",
        "aicc" => "AICc",
        "bic" => "BIC",
        _ => key,
    };
}
