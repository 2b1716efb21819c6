using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.AspNetCore.Http;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// Counts the SQL commands (round trips) that EF sends while serving one request. Registered as a singleton
/// <see cref="IInterceptor"/> by <see cref="CrmWebFactory"/>, so it joins every context of the app. It records only the
/// requests of a client inside <see cref="Measure"/>: those carry a header naming the measurement, so that other
/// requests, background work and other tests never count.
/// <code>
/// using var sql = factory.SqlCommands.Measure(client);
/// await client.GetAsync(url);
/// Assert.InRange(sql.Count, 1, 2);
/// </code>
/// </summary>
public sealed class SqlCommandCounter : DbCommandInterceptor
{
    public const string ScopeHeader = "X-Sql-Measurement";

    // HttpContextAccessor keeps the current request in a static AsyncLocal: any instance sees it once the app registers one.
    private readonly HttpContextAccessor _http = new();
    private readonly ConcurrentDictionary<string, ConcurrentQueue<string>> _measurements = new(StringComparer.Ordinal);

    /// <summary>Starts counting the commands of <paramref name="client"/>'s requests until the result is disposed.</summary>
    public SqlMeasurement Measure(HttpClient client)
    {
        var id = Guid.NewGuid().ToString("N");
        _measurements[id] = new ConcurrentQueue<string>();
        client.DefaultRequestHeaders.Remove(ScopeHeader);
        client.DefaultRequestHeaders.Add(ScopeHeader, id);
        return new SqlMeasurement(this, client, id);
    }

    internal IReadOnlyList<string> CommandsOf(string id) =>
        _measurements.TryGetValue(id, out var commands) ? [.. commands] : [];

    internal void End(string id) => _measurements.TryRemove(id, out _);

    public override InterceptionResult<DbDataReader> ReaderExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<DbDataReader>> ReaderExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<DbDataReader> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<int> NonQueryExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<int> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<int>> NonQueryExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<int> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    public override InterceptionResult<object> ScalarExecuting(DbCommand command, CommandEventData eventData, InterceptionResult<object> result)
    {
        Record(command);
        return result;
    }

    public override ValueTask<InterceptionResult<object>> ScalarExecutingAsync(
        DbCommand command, CommandEventData eventData, InterceptionResult<object> result, CancellationToken cancellationToken = default)
    {
        Record(command);
        return ValueTask.FromResult(result);
    }

    private void Record(DbCommand command)
    {
        if (_http.HttpContext?.Request.Headers[ScopeHeader].ToString() is { Length: > 0 } id
            && _measurements.TryGetValue(id, out var commands))
        {
            commands.Enqueue(command.CommandText);
        }
    }
}

/// <summary>The commands counted for one client since <see cref="SqlCommandCounter.Measure"/>; disposing it stops counting.</summary>
public sealed class SqlMeasurement : IDisposable
{
    private readonly SqlCommandCounter _counter;
    private readonly HttpClient _client;
    private readonly string _id;

    internal SqlMeasurement(SqlCommandCounter counter, HttpClient client, string id)
    {
        _counter = counter;
        _client = client;
        _id = id;
    }

    /// <summary>The SQL of each command, in the order sent.</summary>
    public IReadOnlyList<string> Commands => _counter.CommandsOf(_id);

    public int Count => Commands.Count;

    /// <summary>The commands, numbered, for an assertion message.</summary>
    public string Describe() =>
        string.Join(Environment.NewLine + Environment.NewLine, Commands.Select((sql, i) => $"-- {i + 1}:{Environment.NewLine}{sql}"));

    public void Dispose()
    {
        _client.DefaultRequestHeaders.Remove(SqlCommandCounter.ScopeHeader);
        _counter.End(_id);
    }
}
