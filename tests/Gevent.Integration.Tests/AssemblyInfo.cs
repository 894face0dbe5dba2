// The tests measure concurrency by elapsed time on a 2-core machine: a Fody build or 50 SSH handshakes
// running beside a timed Npgsql run would decide its outcome, so the test classes run one at a time.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
