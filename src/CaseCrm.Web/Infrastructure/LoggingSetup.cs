using Serilog;
using Serilog.AspNetCore;

namespace CaseCrm.Web.Infrastructure;

internal static class LoggingSetup
{
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
                .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture),
            preserveStaticLogger: true);
        // The request log (UseSerilogRequestLogging) would otherwise write through the static logger.
        builder.Services.AddOptions<RequestLoggingOptions>().Configure<Serilog.ILogger>((o, logger) => o.Logger = logger);
    }
}
