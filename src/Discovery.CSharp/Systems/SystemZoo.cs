using System.Text;

namespace Discovery.Systems;

/// <summary>
/// The catalogue of named continuous systems. Every entry is equation text parsed by the symbolic core, with nominal
/// parameters, a default initial state, a recommended sampling step, and where known the dominant period and largest
/// Lyapunov exponent. Chaotic flows mostly use the parameters of the dysts database (Gilpin, 2021) and its dominant
/// periods. Largest Lyapunov exponents of chaotic flows are our own estimates, two significant digits, from
/// <see cref="Lyapunov.LargestExponent"/> (two runs of at least 3000 time units from the default initial state; Lorenz
/// 0.906 and Rössler 0.071 agree with the literature); limit cycles and conservative orbits have exponent 0, the damped
/// pendulum −b/2. Names are matched ignoring case, '-', '_' and spaces; <c>lorenz96-N</c> gives Lorenz-96 in N
/// dimensions.
/// </summary>
public static class SystemZoo
{
    private static readonly Lazy<IReadOnlyList<DynamicalSystem>> Catalogue = new(BuildAll);

    /// <summary>Every system of the zoo, in catalogue order (Lorenz-96 in its default 5 dimensions).</summary>
    public static IReadOnlyList<DynamicalSystem> All => Catalogue.Value;

    /// <summary>The names of the zoo's systems.</summary>
    public static IReadOnlyList<string> Names => Entries.Select(e => e.Name).ToArray();

    /// <summary>The system called <paramref name="name"/>, or null.</summary>
    public static DynamicalSystem? Find(string name)
    {
        var key = Normalise(name);
        if (key.StartsWith("lorenz96", StringComparison.Ordinal) && key.Length > "lorenz96".Length
            && int.TryParse(key["lorenz96".Length..], out var dimension))
            return dimension is >= 4 and <= 1000 ? Lorenz96(dimension) : null;
        return All.FirstOrDefault(s => Normalise(s.Name) == key)
               ?? Entries.Zip(All).FirstOrDefault(p => p.First.Aliases.Any(a => Normalise(a) == key)).Second;
    }

    /// <summary>The system called <paramref name="name"/>; KeyNotFoundException naming the closest names otherwise.</summary>
    public static DynamicalSystem Get(string name) =>
        Find(name) ?? throw new KeyNotFoundException(
            $"no system named '{name}' in the zoo; did you mean {string.Join(" or ", Suggestions(name))}? ('discovery systems' lists them all)");

    /// <summary>Up to three zoo names closest to <paramref name="name"/> (edit distance).</summary>
    public static IReadOnlyList<string> Suggestions(string name)
    {
        var key = Normalise(name);
        return Names.OrderBy(n => EditDistance(Normalise(n), key)).Take(3).ToArray();
    }

    /// <summary>
    /// Lorenz-96 in <paramref name="dimension"/> ≥ 4 dimensions: x_i' = (x_{i+1} − x_{i−2}) x_{i−1} − x_i + F (indices
    /// cyclic), F = 8, starting from x = F with x1 nudged by 0.01.
    /// </summary>
    public static DynamicalSystem Lorenz96(int dimension)
    {
        if (dimension < 4) throw new ArgumentOutOfRangeException(nameof(dimension), dimension, "Lorenz-96 needs at least 4 dimensions");
        var text = new StringBuilder();
        for (var i = 0; i < dimension; i++)
        {
            string X(int k) => $"x{(k % dimension + dimension) % dimension + 1}";
            text.Append($"{X(i)}' = ({X(i + 1)} - {X(i - 2)})*{X(i - 1)} - {X(i)} + F\n");
        }
        var x0 = Enumerable.Repeat(8.0, dimension).ToArray();
        x0[0] += 0.01;
        var name = dimension == 5 ? "lorenz96" : $"lorenz96-{dimension}";
        return DynamicalSystem.Define(name, $"Lorenz-96 atmospheric model, {dimension} sites (lorenz96-N for N sites)", text.ToString(),
            [new SystemParameter("F", 8)], x0, 0.01, null, dimension == 5 ? 0.47 : null, "Lorenz (1996), Predictability: a problem partly solved", false);
    }

    private static IReadOnlyList<DynamicalSystem> BuildAll() => Entries.Select(e => e.Build()).ToArray();

    private static string Normalise(string name) =>
        new string(name.Where(c => c != '-' && c != '_' && !char.IsWhiteSpace(c)).ToArray()).ToLowerInvariant();

    private static int EditDistance(string a, string b)
    {
        var previous = Enumerable.Range(0, b.Length + 1).ToArray();
        for (var i = 1; i <= a.Length; i++)
        {
            var current = new int[b.Length + 1];
            current[0] = i;
            for (var j = 1; j <= b.Length; j++)
                current[j] = Math.Min(Math.Min(current[j - 1] + 1, previous[j] + 1), previous[j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1));
            previous = current;
        }
        return previous[b.Length];
    }

    /// <summary>One catalogue entry, as data ready to parse.</summary>
    private sealed record Entry(
        string Name, string Description, string Equations, (string Name, double Value)[] Parameters, double[] InitialState,
        double TimeStep, double? Period = null, double? Lyapunov = null, string? Reference = null, bool Stiff = false,
        string[]? AliasList = null)
    {
        public string[] Aliases => AliasList ?? [];

        public DynamicalSystem Build() =>
            Name == "lorenz96"
                ? Lorenz96(5)
                : DynamicalSystem.Define(Name, Description, Equations, Parameters.Select(p => new SystemParameter(p.Name, p.Value)).ToArray(),
                    InitialState, TimeStep, Period, Lyapunov, Reference, Stiff);
    }

    private static readonly Entry[] Entries =
    [
        // ---- Chaotic flows -------------------------------------------------------------------------------------------
        new("lorenz", "Lorenz-63 convection model, the butterfly attractor",
            "x' = sigma*(y - x); y' = x*(rho - z) - y; z' = x*y - beta*z",
            [("sigma", 10), ("rho", 28), ("beta", 8.0 / 3)], [-8, 8, 27], 0.002, 1.5008, 0.906,
            "Lorenz (1963), Deterministic nonperiodic flow"),
        new("rossler", "Rössler's spiral-type attractor",
            "x' = -y - z; y' = x + a*y; z' = b + z*(x - c)",
            [("a", 0.2), ("b", 0.2), ("c", 5.7)], [6.5134, 0.4772, 0.3416], 0.01, 5.9086, 0.071,
            "Rössler (1976), An equation for continuous chaos", AliasList: ["roessler"]),
        new("chen", "Chen's attractor, a dual of Lorenz",
            "x' = a*(y - x); y' = (c - a)*x - x*z + c*y; z' = x*y - b*z",
            [("a", 35), ("b", 3), ("c", 28)], [3.2690, 5.2990, 19.4353], 0.001, 0.58689, 2.0,
            "Chen & Ueta (1999), Yet another chaotic attractor"),
        new("chua", "Chua's circuit with a piecewise-linear diode (double scroll)",
            "x' = alpha*(y - x - (m1*x + 0.5*(m0 - m1)*(abs(x + 1) - abs(x - 1)))); y' = x - y + z; z' = -beta*y",
            [("alpha", 15.6), ("beta", 28), ("m0", -1.142857), ("m1", -0.71429)], [1.1262, -0.1139, -0.7832], 0.002, 1.4235, 0.42,
            "Chua, Komuro & Matsumoto (1986), The double scroll family"),
        new("thomas", "Thomas' cyclically symmetric attractor (labyrinth chaos; b = 0.18 is robustly chaotic)",
            "x' = sin(y) - b*x; y' = sin(z) - b*y; z' = sin(x) - b*z",
            [("b", 0.18)], [0.1, 0.0, 0.0], 0.05, null, 0.04,
            "Thomas (1999), Deterministic chaos seen in terms of feedback circuits"),
        new("aizawa", "Aizawa's (Langford's) torus-like attractor",
            "x' = (z - b)*x - d*y; y' = d*x + (z - b)*y; z' = c + a*z - z^3/3 - (x^2 + y^2)*(1 + epsilon*z) + f*z*x^3",
            [("a", 0.95), ("b", 0.7), ("c", 0.6), ("d", 3.5), ("epsilon", 0.25), ("f", 0.1)], [-0.7845, -0.6289, -0.1762], 0.01,
            2.5837, 0.09, "Aizawa & Uezu (1982); Langford (1984)"),
        new("halvorsen", "Halvorsen's cyclically symmetric attractor",
            "x' = -a*x - b*(y + z) - y^2; y' = -a*y - b*(z + x) - z^2; z' = -a*z - b*(x + y) - x^2",
            [("a", 1.4), ("b", 4)], [-8.6807, -2.4741, 0.0708], 0.002, 1.4889, 0.68, "Sprott (2010), Elegant chaos"),
        new("dadras", "Dadras-Momeni multi-scroll attractor",
            "x' = y - a*x + b*y*z; y' = c*y - x*z + z; z' = d*x*y - h*z",
            [("a", 3), ("b", 2.7), ("c", 1.7), ("d", 2), ("h", 9)], [1.0284, -3.5349, -0.7208], 0.005, 3.2886, 0.36,
            "Dadras & Momeni (2009), Physics Letters A"),
        new("rabinovich-fabrikant", "Rabinovich-Fabrikant model of modulational instability",
            "x' = y*(z - 1 + x^2) + gamma*x; y' = x*(3*z + 1 - x^2) + gamma*y; z' = -2*z*(alpha + x*y)",
            [("alpha", 1.1), ("gamma", 0.87)], [-1.8207, 0.8344, 0.2078], 0.005, 2.3356, 0.19,
            "Rabinovich & Fabrikant (1979), Sov. Phys. JETP"),
        new("sprott-b", "Sprott's case B, an algebraically simple chaotic flow",
            "x' = y*z; y' = x - y; z' = 1 - x*y",
            [], [1.6878, 1.4848, -0.5371], 0.02, 11.0501, 0.21, "Sprott (1994), Some simple chaotic flows"),
        new("sprott-linz-f", "Sprott-Linz case F",
            "x' = y + z; y' = -x + a*y; z' = x^2 - z",
            [("a", 0.5)], [-0.9894, -1.4192, 0.8580], 0.05, 19.244, 0.12, "Sprott (1994), Some simple chaotic flows",
            AliasList: ["sprott-f"]),
        new("four-wing", "Wang-Sun four-wing attractor",
            "x' = a*x + y*z; y' = b*x + c*y - x*z; z' = -z - x*y",
            [("a", 0.2), ("b", -0.01), ("c", -0.4)], [-0.5477, 0.7388, -0.0049], 0.05, 26.958, 0.065,
            "Wang, Sun, van Wyk, Qi & van Wyk (2009), A 3-D four-wing attractor and its analysis", AliasList: ["wang-sun"]),
        new("chen-lee", "Chen-Lee rigid-body attractor",
            "x' = a*x - y*z; y' = b*y + x*z; z' = c*z + x*y/3",
            [("a", 5), ("b", -10), ("c", -0.38)], [0.1718, 0.1036, 6.2554], 0.005, 2.8043, 0.14,
            "Chen & Lee (2004), Anti-control of chaos in rigid body motion"),
        new("duffing", "forced Duffing oscillator (double-well, chaotic)",
            "x' = v; v' = -delta*v - beta*x - alpha*x^3 + gamma*cos(omega*t)",
            [("alpha", 1), ("beta", -1), ("delta", 0.1), ("gamma", 0.35), ("omega", 1.4)], [-1.1635, -0.5092], 0.01, 7.4496, 0.12,
            "Duffing (1918), Erzwungene Schwingungen bei veränderlicher Eigenfrequenz"),
        new("double-pendulum", "planar double pendulum in Hamiltonian form (angles and canonical momenta)",
            """
            th1' = (l2*p1 - l1*p2*cos(th1 - th2)) / (l1^2*l2*(m1 + m2*sin(th1 - th2)^2))
            th2' = (l1*(m1 + m2)*p2 - l2*m2*p1*cos(th1 - th2)) / (l1*l2^2*m2*(m1 + m2*sin(th1 - th2)^2))
            p1' = -(m1 + m2)*g*l1*sin(th1) - p1*p2*sin(th1 - th2)/(l1*l2*(m1 + m2*sin(th1 - th2)^2)) + (l2^2*m2*p1^2 + l1^2*(m1 + m2)*p2^2 - 2*l1*l2*m2*p1*p2*cos(th1 - th2))*sin(2*(th1 - th2))/(2*l1^2*l2^2*(m1 + m2*sin(th1 - th2)^2)^2)
            p2' = -m2*g*l2*sin(th2) + p1*p2*sin(th1 - th2)/(l1*l2*(m1 + m2*sin(th1 - th2)^2)) - (l2^2*m2*p1^2 + l1^2*(m1 + m2)*p2^2 - 2*l1*l2*m2*p1*p2*cos(th1 - th2))*sin(2*(th1 - th2))/(2*l1^2*l2^2*(m1 + m2*sin(th1 - th2)^2)^2)
            """,
            [("m1", 1), ("m2", 1), ("l1", 1), ("l2", 1), ("g", 9.81)], [2.5, 2.5, 0.0, 0.0], 0.005, null, 1.4,
            "e.g. Marion & Thornton, Classical dynamics of particles and systems"),
        new("lorenz96", "Lorenz-96 atmospheric model, 5 sites (lorenz96-N for N sites)", "", [], [], 0.01),
        new("rucklidge", "Rucklidge's model of double convection",
            "x' = -a*x + b*y - y*z; y' = x; z' = -z + y^2",
            [("a", 2), ("b", 6.7)], [1.9257, 3.1924, 5.7830], 0.01, 6.0721, 0.19, "Rucklidge (1992), J. Fluid Mech."),
        new("arneodo", "Arneodo-Coullet-Tresser jerk system",
            "x' = y; y' = z; z' = -a*x - b*y - c*z + d*x^3",
            [("a", -5.5), ("b", 4.5), ("c", 1), ("d", -1)], [-2.7516, 0.1908, 3.4704], 0.005, 3.1641, 0.21,
            "Arneodo, Coullet & Tresser (1980), Physics Letters A"),
        new("lu-chen", "Lü-Chen attractor, between Lorenz and Chen",
            "x' = a*(y - x); y' = -x*z + c*y; z' = x*y - b*z",
            [("a", 36), ("b", 3), ("c", 18)], [10.9565, 9.8813, 22.6767], 0.005, 2.3385, 0.31, "Lü & Chen (2002), Int. J. Bifurcation Chaos"),
        new("genesio-tesi", "Genesio-Tesi jerk system",
            "x' = y; y' = z; z' = -c*x - b*y - a*z + x^2",
            [("a", 0.44), ("b", 1.1), ("c", 1)], [-0.0538, -0.2616, 0.3350], 0.01, 5.9431, 0.11, "Genesio & Tesi (1992), Automatica"),
        new("shimizu-morioka", "Shimizu-Morioka attractor",
            "x' = y; y' = x - a*y - x*z; z' = -b*z + x^2",
            [("a", 0.85), ("b", 0.5)], [0.0168, 0.0349, 0.3535], 0.02, 12.038, 0.035, "Shimizu & Morioka (1980), Physics Letters A"),
        new("nose-hoover", "Nosé-Hoover thermostated oscillator",
            "x' = y; y' = -x + y*z; z' = a - y^2",
            [("a", 1.5)], [-1.9759, 0.2465, 0.7902], 0.01, 5.8673, null, "Nosé (1984); Hoover (1985)"),
        new("lorenz84", "Lorenz-84 model of the general atmospheric circulation",
            "x' = -a*x - y^2 - z^2 + a*f; y' = -y + x*y - b*x*z + g; z' = -z + b*x*y + x*z",
            [("a", 1.32), ("b", 7.91), ("f", 4.83), ("g", 4.194)], [1.9265, -0.1340, -1.7215], 0.01, 6.2586, 0.43,
            "Lorenz (1984), Irregularity: a fundamental property of the atmosphere"),
        new("moore-spiegel", "Moore-Spiegel thermally excited oscillator",
            "x' = y; y' = a*z; z' = -z + eps*y - y*x^2 - b*x",
            [("a", 10), ("b", 4), ("eps", 9)], [-3.4733, 19.6670, -3.8262], 0.002, 1.2887, 0.17, "Moore & Spiegel (1966), Astrophys. J."),
        new("hindmarsh-rose", "Hindmarsh-Rose bursting neuron (chaotic bursting, slow-fast)",
            "x' = y - a*x^3 + b*x^2 - z + I; y' = c - d*x^2 - y; z' = r*(s*(x - xr) - z)",
            [("a", 1), ("b", 3), ("c", 1), ("d", 5), ("r", 0.006), ("s", 4), ("xr", -1.6), ("I", 3.25)], [-1.5, -10, 2.0], 0.05,
            null, 0.015, "Hindmarsh & Rose (1984), Proc. R. Soc. Lond. B", Stiff: true),

        // ---- Oscillators, biology, chemistry ---------------------------------------------------------------------------
        new("van-der-pol", "Van der Pol relaxation oscillator (mu = 1 is not stiff; mu of 100 or more is)",
            "x' = y; y' = mu*(1 - x^2)*y - x",
            [("mu", 1)], [2, 0], 0.01, 6.6633, 0.0, "van der Pol (1926), On relaxation-oscillations", AliasList: ["vanderpol", "vdp"]),
        new("lotka-volterra", "Lotka-Volterra predator-prey (conservative cycles), as in the universal-differential-equation paper",
            "x' = alpha*x - beta*x*y; y' = gamma*x*y - delta*y",
            [("alpha", 1.3), ("beta", 0.9), ("gamma", 0.8), ("delta", 1.8)], [0.44249296, 4.6280594], 0.1, null, 0.0,
            "Lotka (1925); Volterra (1926)", AliasList: ["predator-prey"]),
        new("damped-pendulum", "damped nonlinear pendulum",
            "theta' = omega; omega' = -b*omega - g/L*sin(theta)",
            [("b", 0.25), ("g", 9.81), ("L", 1)], [2.0, 0.0], 0.01, null, -0.125, "textbook mechanics", AliasList: ["pendulum"]),
        new("fitzhugh-nagumo", "FitzHugh-Nagumo excitable neuron (spiking limit cycle)",
            "v' = v - v^3/3 - w + I; w' = (v + a - b*w)/tau",
            [("a", 0.7), ("b", 0.8), ("tau", 12.5), ("I", 0.5)], [-1, 1], 0.1, null, 0.0,
            "FitzHugh (1961); Nagumo, Arimoto & Yoshizawa (1962)"),
        new("sir", "SIR epidemic model (population fractions)",
            "S' = -beta*S*I; I' = beta*S*I - gamma*I; R' = gamma*I",
            [("beta", 0.5), ("gamma", 0.1)], [0.99, 0.01, 0.0], 0.1, null, null, "Kermack & McKendrick (1927)"),
        new("brusselator", "Brusselator autocatalytic reaction (limit cycle for b > 1 + a^2)",
            "x' = a + x^2*y - (b + 1)*x; y' = b*x - x^2*y",
            [("a", 1), ("b", 3)], [1, 1], 0.05, null, 0.0, "Prigogine & Lefever (1968)"),
        new("selkov", "Sel'kov model of glycolysis oscillations",
            "x' = -x + a*y + x^2*y; y' = b - a*y - x^2*y",
            [("a", 0.08), ("b", 0.6)], [1, 1], 0.05, null, 0.0, "Sel'kov (1968), Eur. J. Biochem.", AliasList: ["glycolysis", "selkov-glycolysis"]),
        new("hopf", "supercritical Hopf normal form (circle of radius sqrt(mu))",
            "x' = mu*x - omega*y - x*(x^2 + y^2); y' = omega*x + mu*y - y*(x^2 + y^2)",
            [("mu", 1), ("omega", 1)], [0.1, 0], 0.01, 2 * Math.PI, 0.0, "Hopf normal form, e.g. Strogatz (2015)",
            AliasList: ["hopf-normal-form"]),
        new("harmonic-oscillator", "harmonic oscillator x'' = -omega^2 x",
            "x' = v; v' = -omega^2*x",
            [("omega", 1)], [1, 0], 0.01, 2 * Math.PI, 0.0, "textbook mechanics", AliasList: ["harmonic", "oscillator"]),
        new("robertson", "Robertson's stiff chemical kinetics (rates over nine orders of magnitude)",
            "a' = -k1*a + k3*b*c; b' = k1*a - k3*b*c - k2*b^2; c' = k2*b^2",
            [("k1", 0.04), ("k2", 3e7), ("k3", 1e4)], [1, 0, 0], 0.1, null, null, "Robertson (1966)", Stiff: true),
    ];
}
