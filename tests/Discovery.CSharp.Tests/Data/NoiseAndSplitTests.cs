using Discovery.Data;

namespace Discovery.Tests.Data;

public class NoiseAndSplitTests
{
    private static TrajectoryData Sines(int trajectories, int samples)
    {
        var list = new List<Trajectory>();
        for (var id = 0; id < trajectories; id++)
        {
            var times = Enumerable.Range(0, samples).Select(k => 0.01 * k).ToArray();
            var states = new double[samples, 2];
            for (var k = 0; k < samples; k++)
            {
                states[k, 0] = Math.Sin(times[k] + id);
                states[k, 1] = 100 + 10 * Math.Cos(times[k]);
            }
            list.Add(new Trajectory(times, states, $"run{id}"));
        }
        return new TrajectoryData(["x", "y"], list);
    }

    [Fact]
    public void Gaussian_noise_has_standard_deviation_level_times_the_column_rms()
    {
        var data = Sines(2, 20000);
        var rms = Noise.ColumnRms(data);
        var noisy = Noise.AddGaussian(data, 0.05, seed: 1);
        for (var j = 0; j < 2; j++)
        {
            var differences = data.Trajectories.SelectMany((t, i) =>
                Enumerable.Range(0, t.Length).Select(k => noisy.Trajectories[i].States[k, j] - t.States[k, j])).ToArray();
            var mean = differences.Average();
            var std = Math.Sqrt(differences.Select(d => (d - mean) * (d - mean)).Average());
            Assert.InRange(std / (0.05 * rms[j]), 0.98, 1.02);
            Assert.InRange(Math.Abs(mean), 0, 0.03 * 0.05 * rms[j]);
        }
        Assert.Equal(data.Trajectories[0].Times, noisy.Trajectories[0].Times);
    }

    [Fact]
    public void The_same_seed_gives_the_same_noise_and_another_seed_other_noise()
    {
        var data = Sines(1, 100);
        var a = Noise.AddGaussian(data, 0.01, seed: 42).Trajectories[0].States;
        var b = Noise.AddGaussian(data, 0.01, seed: 42).Trajectories[0].States;
        var c = Noise.AddGaussian(data, 0.01, seed: 43).Trajectories[0].States;
        Assert.Equal(a, b);
        Assert.NotEqual(a, c);
        Assert.Same(data, Noise.AddGaussian(data, 0, seed: 1));
    }

    [Fact]
    public void Splitting_by_time_keeps_the_early_part_for_training()
    {
        var data = Sines(2, 100);
        var split = Splits.ByTime(data, 0.8);
        Assert.All(split.Train.Trajectories, t => Assert.Equal(80, t.Length));
        Assert.All(split.Test.Trajectories, t => Assert.Equal(20, t.Length));
        Assert.True(split.Test.Trajectories[0].Times[0] > split.Train.Trajectories[0].Times[^1]);
    }

    [Fact]
    public void Splitting_by_trajectory_partitions_whole_trajectories_reproducibly()
    {
        var data = Sines(10, 5);
        var split = Splits.ByTrajectory(data, 0.7, seed: 3);
        Assert.Equal(7, split.Train.Trajectories.Count);
        Assert.Equal(3, split.Test.Trajectories.Count);
        var all = split.Train.Trajectories.Concat(split.Test.Trajectories).Select(t => t.Id).Order();
        Assert.Equal(data.Trajectories.Select(t => t.Id).Order(), all);
        Assert.Equal(split.Test.Trajectories.Select(t => t.Id), Splits.ByTrajectory(data, 0.7, seed: 3).Test.Trajectories.Select(t => t.Id));
        Assert.Throws<ArgumentException>(() => Splits.ByTrajectory(Sines(1, 5), 0.5));
    }
}
