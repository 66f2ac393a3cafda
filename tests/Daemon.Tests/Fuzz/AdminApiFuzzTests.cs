using System.Net;
using System.Net.Sockets;
using System.Text;
using Ipvs.Daemon.Tests.Web;
using Ipvs.Daemon.Web;
using Ipvs.Daemon.Web.Admin;
using Ipvs.Daemon.Web.Status;
using Ipvs.Fuzzing;
using Xunit;

namespace Ipvs.Daemon.Tests.Fuzz;

/// <summary>
/// Mutated admin requests (method, path, verb case, headers, body; whole raw HTTP/1.1 requests) sent to the real
/// listener: the admin state may change only as a well-formed, authorised request asks (<see cref="AdminRequestOracle"/>).
/// A finding is any admin call the oracle does not expect, e.g. <c>POST .../DRAIN</c> putting a realserver to ready.
/// </summary>
[Collection(nameof(FuzzCollection))]
public sealed class AdminApiFuzzTests : IAsyncLifetime
{
    private const string Secret = "fuzz-t0ken-0123456789abcdef";
    private readonly string _tokenFile = Path.Combine(Path.GetTempPath(), $"ipvs-checkd-fuzz-token-{Guid.NewGuid():N}");
    private readonly RecordingAdmin _admin = new();
    private WebHost _host = null!;
    private int _sent;

    private static readonly string[] Requests =
    [
        Request("/api/v1/virtual-services/web/realservers/10.0.1.1:80/drain"),
        Request("/api/v1/virtual-services/web/realservers/10.0.1.1:80/maintenance"),
        Request("/api/v1/hosts/10.0.1.1/ready"),
        Request("/api/v1/hosts/10.0.1.1/drain"),
        Request("/api/v1/virtual-services/web/realservers/10.0.1.2:80/weight", "{\"weight\": 3}"),
        Request("/api/v1/virtual-services/web/realservers/[2001:db8::1]:80/weight", "{\"weight\":null}"),
        Request("/api/v1/reload"),
    ];

    private static string Request(string path, string body = "") =>
        $"POST {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nAuthorization: Bearer {Secret}\r\nContent-Type: application/json\r\nContent-Length: {Encoding.UTF8.GetByteCount(body)}\r\n\r\n{body}";

    public async ValueTask InitializeAsync()
    {
        await TokenFile.WriteAsync(_tokenFile, Secret);
        _host = await WebHost.StartAsync(FakeStatusSource.TwoServices(), _admin, new WebOptions { AdminTokenFile = _tokenFile });
    }

    public async ValueTask DisposeAsync()
    {
        await _host.DisposeAsync();
        File.Delete(_tokenFile);
    }

    [Fact]
    public void AdminRequests_Mutated_ChangeStateOnlyAsAWellFormedAuthorisedRequestAsks()
    {
        var seeds = Requests.Select(Encoding.ASCII.GetBytes).ToList();
        // The seeds themselves must work, or the property below would hold for a daemon that does nothing.
        foreach (var seed in seeds)
        {
            Assert.Equal(AdminRequestOracle.ExpectedCalls(seed, Secret), Send(seed));
            Assert.Single(AdminRequestOracle.ExpectedCalls(seed, Secret));
        }

        MutationFuzzer.Run("admin-api", seeds, input =>
        {
            var calls = Send(input);
            var expected = AdminRequestOracle.ExpectedCalls(input, Secret);
            var next = 0;
            foreach (var call in calls)
            {
                while (next < expected.Count && expected[next] != call)
                {
                    next++;
                }
                if (next == expected.Count)
                {
                    throw new InvalidOperationException($"admin call '{call}' not asked for by a well-formed, authorised request (expected: {string.Join("; ", expected)})");
                }
                next++;
            }
        }, _ => false, shortRunInputs: 200);
    }

    /// <summary>
    /// Sends raw bytes on a fresh connection from an address of its own, reads what comes back until the daemon closes
    /// or falls silent, and returns the admin calls made for that address. (A half-close right after sending would
    /// make the listener drop the request unanswered, so the connection stays open until the answer is in.)
    /// </summary>
    private List<string> Send(byte[] raw)
    {
        var n = Interlocked.Increment(ref _sent);
        var source = new IPAddress([127, (byte)(20 + n / (250 * 256) % 200), (byte)(n / 250 % 256), (byte)(n % 250 + 1)]);
        var who = "api " + source;
        _admin.CurrentWho = who;
        using (var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { SendTimeout = 5000 })
        {
            socket.Bind(new IPEndPoint(source, 0));
            socket.Connect(_host.BaseAddress.Host, _host.BaseAddress.Port);
            try
            {
                socket.Send(raw);
                var buffer = new byte[4096];
                var got = false;
                // Until closed, or silent for 100 ms before any answer / 20 ms after one; at most 5 s.
                for (var deadline = Environment.TickCount64 + 5000; Environment.TickCount64 < deadline;)
                {
                    if (!socket.Poll(got ? 20_000 : 100_000, SelectMode.SelectRead))
                    {
                        break;
                    }
                    if (socket.Receive(buffer) == 0)
                    {
                        break;
                    }
                    got = true;
                }
            }
            catch (SocketException e) when (e.SocketErrorCode is SocketError.ConnectionReset or SocketError.TimedOut or SocketError.Shutdown)
            {
            }
        }
        return [.. _admin.Calls.Where(c => c.Who == who).Select(c => c.Call)];
    }

    /// <summary>Admin actions that record what was asked, in words the oracle also writes.</summary>
    private sealed class RecordingAdmin : IAdminActions
    {
        public System.Collections.Concurrent.ConcurrentQueue<(string Who, string Call)> Calls { get; } = new();

        /// <summary>Reload carries no "who": it is counted for the input being sent (one at a time).</summary>
        public string CurrentWho { get; set; } = "";

        public AdminResult SetAdminState(string virtualService, IPEndPoint realserver, AdminState state, string who) =>
            Record(who, $"state {virtualService} {Text(realserver)} {Word(state)}");

        public AdminResult SetHostAdminState(IPAddress host, AdminState state, string who) => Record(who, $"host {host} {Word(state)}");

        public AdminResult SetWeightOverride(string virtualService, IPEndPoint realserver, int? weight, string who) =>
            Record(who, $"weight {virtualService} {Text(realserver)} {(weight is { } w ? w.ToString(System.Globalization.CultureInfo.InvariantCulture) : "null")}");

        public AdminResult ReleaseMassFailureHold(string? virtualService, string who) =>
            Record(who, virtualService is null ? "release-holds" : $"release-hold {virtualService}");

        public Task<AdminResult> ReloadAsync(CancellationToken cancellationToken) => Task.FromResult(Record(CurrentWho, "reload"));

        private AdminResult Record(string who, string call)
        {
            Calls.Enqueue((who, call));
            return new AdminResult(1);
        }

        private static string Text(IPEndPoint ep) => ep.AddressFamily == AddressFamily.InterNetworkV6 ? $"[{ep.Address}]:{ep.Port}" : ep.ToString();

        private static string Word(AdminState state) => state switch
        {
            AdminState.Drain => "drain",
            AdminState.Maintenance => "maintenance",
            _ => "ready",
        };
    }
}
