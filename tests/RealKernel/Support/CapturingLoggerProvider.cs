using System.Collections.Concurrent;
using Microsoft.Extensions.Logging;

namespace Ipvs.RealKernel.Tests.Support;

/// <summary>Keeps every log line the engine writes, so a test can count them (one line per event, not a storm).</summary>
internal sealed class CapturingLoggerProvider : ILoggerProvider
{
    public ConcurrentQueue<string> Lines { get; } = new();

    public ILogger CreateLogger(string categoryName) => new Logger(this);

    public int Count(string contains) => Lines.Count(l => l.Contains(contains, StringComparison.Ordinal));

    public void Dispose()
    {
    }

    private sealed class Logger(CapturingLoggerProvider owner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state) where TState : notnull => null;

        public bool IsEnabled(LogLevel logLevel) => logLevel >= LogLevel.Information;

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter)
        {
            if (IsEnabled(logLevel))
            {
                owner.Lines.Enqueue(logLevel + ": " + formatter(state, exception));
            }
        }
    }
}
