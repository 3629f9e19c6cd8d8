using System.Globalization;

namespace OrderFlow.Soak;

/// <summary>Command line of the soak: <c>--minutes N</c> (default 10), <c>--seed S</c>, <c>--rate R</c> orders per second (default 1).</summary>
public sealed record SoakOptions(double Minutes, int Seed, double Rate, bool KeepData)
{
    public TimeSpan Load => TimeSpan.FromMinutes(this.Minutes);

    /// <summary>
    /// How long the end waits for every accepted order to settle: a third of the load time, 150 to 240 s (the default
    /// activity retry alone waits 5 + 10 + 20 + 40 s before its last attempt, and an order can meet that on two steps).
    /// </summary>
    public TimeSpan QuiescenceBound => TimeSpan.FromSeconds(Math.Clamp(this.Minutes * 20, 150, 240));

    public static SoakOptions Parse(string[] args)
    {
        ArgumentNullException.ThrowIfNull(args);
        double minutes = 10, rate = 1;
        var seed = Environment.TickCount & 0x7fffffff;
        var keep = false;
        for (var i = 0; i < args.Length; i++)
        {
            string Next() => i + 1 < args.Length ? args[++i] : throw new ArgumentException($"{args[i]} needs a value.");
            switch (args[i])
            {
                case "--minutes":
                    minutes = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--seed":
                    seed = int.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--rate":
                    rate = double.Parse(Next(), CultureInfo.InvariantCulture);
                    break;
                case "--keep-data":
                    keep = true;
                    break;
                default:
                    throw new ArgumentException($"Unknown option {args[i]} (known: --minutes N, --seed S, --rate R, --keep-data).");
            }
        }

        if (minutes <= 0 || rate <= 0 || rate > 20)
        {
            throw new ArgumentException("--minutes must be positive and --rate between 0 and 20 orders per second.");
        }

        return new SoakOptions(minutes, seed, rate, keep);
    }
}
