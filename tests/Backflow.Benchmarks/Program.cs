using System.CommandLine;
using Backflow.Benchmarks;

// A console program with Stopwatch timings and child-process peak RSS rather than BenchmarkDotNet: every
// measurement here is one end-to-end run of real executables over a million-row input (seconds to minutes each),
// where BenchmarkDotNet's many-iteration statistics would multiply the run time without adding precision, and
// it cannot measure the peak working set of a separate process.
var rows = new Option<long>("--rows") { Description = "Rows in the apply/publish/wire inputs", DefaultValueFactory = _ => 1_000_000 };
var memoryRows = new Option<long[]>("--memory-rows") { Description = "Extra row counts for the peak-memory runs", DefaultValueFactory = _ => [5_000_000], AllowMultipleArgumentsPerToken = true };
var quick = new Option<bool>("--quick") { Description = "100,000 rows, no extra memory sizes, 5 s of polls: a smoke run of every benchmark" };
var pollSeconds = new Option<int>("--poll-seconds") { Description = "How long the poll load runs", DefaultValueFactory = _ => 15 };
var output = new Option<string>("--out") { Description = "Where the results table is written", DefaultValueFactory = _ => Path.Combine(BuiltPaths.Root, "artifacts", "benchmarks", "results.md") };
var work = new Option<string?>("--work") { Description = "Parent folder of the temporary workspace (default: the system temp folder)" };
var keep = new Option<bool>("--keep") { Description = "Keep the workspace (inputs, extracts, databases) afterwards" };
var only = new Option<string[]>("--only") { Description = "Run only these: publish apply memory polls bootstrap wire (for profiling one of them)", AllowMultipleArgumentsPerToken = true };

var root = new RootCommand("Backflow benchmarks: apply, publish, memory, polls, bootstrap and wire size, each beside a raw baseline measured in the same run");
foreach (var option in new Option[] { rows, memoryRows, quick, pollSeconds, output, work, keep, only })
{
    root.Options.Add(option);
}

root.SetAction(parse =>
{
    var isQuick = parse.GetValue(quick);
    var options = new BenchmarkOptions(
        isQuick ? 100_000 : parse.GetValue(rows),
        isQuick ? [] : parse.GetValue(memoryRows) ?? [],
        TimeSpan.FromSeconds(isQuick ? 5 : parse.GetValue(pollSeconds)),
        parse.GetValue(output)!,
        parse.GetValue(work),
        parse.GetValue(keep),
        (parse.GetValue(only) ?? []).ToHashSet(StringComparer.OrdinalIgnoreCase));
    return BenchmarkRun.RunAsync(options);
});

var envelope = new Argument<string>("envelope");
var extract = new Argument<string>("extract");
var key = new Argument<string>("key");
var database = new Argument<string>("database");
var child = new Command(ApplyChild.Command, "Internal: the agent's verify + apply in a process of its own (for its peak working set)") { Hidden = true };
foreach (var argument in new[] { envelope, extract, key, database })
{
    child.Arguments.Add(argument);
}

child.SetAction(parse => ApplyChild.RunAsync(parse.GetValue(envelope)!, parse.GetValue(extract)!, parse.GetValue(key)!, parse.GetValue(database)!));
root.Subcommands.Add(child);

var format = new Argument<string>("format");
var input = new Argument<string>("input");
var rawOutput = new Argument<string>("output");
var raw = new Command(RawPublishChild.Command, "Internal: the raw publish baseline in a process of its own (cold, as the publish runs)") { Hidden = true };
foreach (var argument in new[] { format, input, rawOutput })
{
    raw.Arguments.Add(argument);
}

raw.SetAction(parse => RawPublishChild.RunAsync(parse.GetValue(format)!, parse.GetValue(input)!, parse.GetValue(rawOutput)!));
root.Subcommands.Add(raw);
return await root.Parse(args).InvokeAsync();
