using Serilog;
using Serilog.AspNetCore;
using Serilog.Events;

namespace CaseCrm.Web.Infrastructure;

internal static class LoggingSetup
{
    /// <summary>Not a real HTTP status: the client closed the connection before the answer (nginx's convention).</summary>
    public const int ClientClosedRequest = StatusCodes.Status499ClientClosedRequest;

    /// <summary>
    /// Serilog from configuration, writing to the console. Each host keeps its own logger: no static bootstrap logger,
    /// and the static <c>Log.Logger</c> is left alone (<c>preserveStaticLogger</c>), so that several hosts in one
    /// process (the test suites) each log to their own sinks, and disposing one does not close another's logger.
    /// </summary>
    public static void AddCrmLogging(this WebApplicationBuilder builder)
    {
        builder.Services.AddSerilog(
            (services, logger) => logger
                .ReadFrom.Configuration(builder.Configuration)
                .ReadFrom.Services(services)
                .Enrich.FromLogContext()
                // Last, so that it sees every property: what a user typed reaches no sink with a raw line break.
                .Enrich.With<ControlCharacterEscaper>()
                .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture),
            preserveStaticLogger: true);
        // The request log (UseSerilogRequestLogging) would otherwise write through the static logger.
        builder.Services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((o, logger) =>
        {
            o.Logger = logger;
            // A request the client gave up on is not a server error: Information, and 499 rather than 500, so that an
            // error in the log always means an error.
            o.GetLevel = (context, _, exception) =>
                IsAborted(context, exception) ? LogEventLevel.Information
                : exception is not null || context.Response.StatusCode >= 500 ? LogEventLevel.Error
                : LogEventLevel.Information;
            o.GetMessageTemplateProperties = (context, path, elapsed, status) =>
            [
                new LogEventProperty("RequestMethod", new ScalarValue(context.Request.Method)),
                new LogEventProperty("RequestPath", new ScalarValue(path)),
                new LogEventProperty("StatusCode", new ScalarValue(context.RequestAborted.IsCancellationRequested && status >= 500 ? ClientClosedRequest : status)),
                new LogEventProperty("Elapsed", new ScalarValue(elapsed)),
            ];
        });
    }

    /// <summary>The client closed the connection, and what failed (if anything) failed because of it.</summary>
    public static bool IsAborted(HttpContext context, Exception? exception) =>
        context.RequestAborted.IsCancellationRequested && exception is null or OperationCanceledException or IOException;
}
