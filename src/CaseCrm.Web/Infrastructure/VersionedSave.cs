using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Web.Infrastructure;

internal static class VersionedSave
{
    /// <summary>
    /// Saves a settings row (its <c>Version</c> a concurrency token) with the version its form was opened with: false,
    /// nothing written, when someone saved it in between — the form says so rather than overwrite their change.
    /// </summary>
    public static async Task<bool> SaveWithFormVersionAsync(this DbContext db, object entity, int formVersion, CancellationToken ct)
    {
        var entry = db.Entry(entity);
        if (entry.State != EntityState.Added)
        {
            entry.Property("Version").OriginalValue = formVersion;
        }

        entry.Property("Version").CurrentValue = formVersion + 1;
        try
        {
            await db.SaveChangesAsync(ct);
            return true;
        }
        catch (DbUpdateConcurrencyException)
        {
            return false;
        }
    }
}
