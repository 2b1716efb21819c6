namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The API's times are UTC, written with their "Z". Stored times are UTC, but SQLite reads them back without their
/// kind: the API marks them, so that the JSON says the same instant on every database.
/// </summary>
public static class ApiTime
{
    public static DateTime Utc(DateTime stored) => DateTime.SpecifyKind(stored, DateTimeKind.Utc);

    public static DateTime? Utc(DateTime? stored) => stored is { } time ? Utc(time) : null;
}
