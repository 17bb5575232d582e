namespace Backflow.Agent.Hosting;

/// <summary>
/// The logger factory given to Polly: a retry stays a warning in the service log, but without the exception's stack
/// trace (Polly's message already carries the exception's message as its result), so one refused connection is not
/// fifty lines.
/// </summary>
internal sealed class ShortExceptionLoggerFactory(ILoggerFactory inner) : ILoggerFactory
{
    public ILogger CreateLogger(string categoryName) => new ShortExceptionLogger(inner.CreateLogger(categoryName));

    public void AddProvider(ILoggerProvider provider) => inner.AddProvider(provider);

    // The wrapped factory belongs to the host.
    public void Dispose()
    {
    }

    private sealed class ShortExceptionLogger(ILogger inner) : ILogger
    {
        public IDisposable? BeginScope<TState>(TState state)
            where TState : notnull => inner.BeginScope(state);

        public bool IsEnabled(LogLevel logLevel) => inner.IsEnabled(logLevel);

        public void Log<TState>(LogLevel logLevel, EventId eventId, TState state, Exception? exception, Func<TState, Exception?, string> formatter) =>
            inner.Log(logLevel, eventId, state, null, formatter);
    }
}
