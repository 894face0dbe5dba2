using Gevent.Bench;

var command = args.Length > 0 ? args[0] : "micro";
switch (command)
{
    case "baton":
        foreach (var (name, us) in BatonBench.Run())
        {
            Console.WriteLine($"{name,-34} {us,8:F2} µs/switch");
        }

        return 0;
    default:
        Console.Error.WriteLine($"unknown benchmark '{command}'; expected one of: micro, baton");
        return 2;
}
