using Xunit;

// The whole real-kernel assembly runs serially: there is one kernel IPVS table (per network
// namespace, and the harness runs the suite in one), and tests that add, edit or flush it would
// otherwise see each other's services.
[assembly: CollectionBehavior(DisableTestParallelization = true)]
