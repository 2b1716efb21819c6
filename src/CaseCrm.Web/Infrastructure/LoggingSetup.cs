using Serilog;

namespace CaseCrm.Web.Infrastructure;

internal static class LoggingSetup
{
    /// <summary>Serilog from configuration, writing to the console. No static bootstrap logger: it would be shared between test hosts.</summary>
    public static void AddCrmLogging(this WebApplicationBuilder builder) =>
        builder.Services.AddSerilog((services, logger) => logger
            .ReadFrom.Configuration(builder.Configuration)
            .ReadFrom.Services(services)
            .Enrich.FromLogContext()
            .WriteTo.Console(formatProvider: System.Globalization.CultureInfo.InvariantCulture));
}
