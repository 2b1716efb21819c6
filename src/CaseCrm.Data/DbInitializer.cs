using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Logging;

namespace CaseCrm.Data;

/// <summary>A demo sign-in: created only when the app runs with its demo seed.</summary>
public sealed record DemoUser(string Email, string Password, string Role, string DisplayName);

/// <summary>Migrates the database and seeds what must exist; every step is idempotent.</summary>
public sealed class DbInitializer(
    CrmDbContext db,
    UserManager<AppUser> users,
    RoleManager<IdentityRole> roles,
    IConfiguration configuration,
    TimeProvider clock,
    ILogger<DbInitializer> logger)
{
    public static readonly IReadOnlyList<DemoUser> DemoUsers =
    [
        new("agente@casecrm.test", "agente-demo-2026", Roles.Agent, "Ana Agente"),
        new("supervisor@casecrm.test", "supervisor-demo-2026", Roles.Supervisor, "Sergio Supervisor"),
        new("admin@casecrm.test", "admin-demo-2026", Roles.Administrator, "Alicia Administradora"),
    ];

    public static readonly IReadOnlyList<string> SeedCategories = ["Consulta", "Incidencia", "Solicitud", "Reclamo"];

    /// <summary>True when <c>Seed:Demo</c> asks for the demo users and data (the default run).</summary>
    public bool SeedsDemo => configuration.GetValue("Seed:Demo", false);

    /// <summary>
    /// Applies the pending migrations. On PostgreSQL EF's own migration lock is a table lock that ends with the first
    /// migration's transaction, so two instances starting together could both apply the next one: a session-level
    /// advisory lock, held on this connection until every migration is applied, lets one instance migrate at a time.
    /// </summary>
    private async Task MigrateAsync(CancellationToken ct)
    {
        if (!db.Database.IsNpgsql())
        {
            await db.Database.MigrateAsync(ct);
            return;
        }

        await db.Database.OpenConnectionAsync(ct);
        try
        {
            await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_lock(7283915)", ct);
            try
            {
                await db.Database.MigrateAsync(ct);
            }
            finally
            {
                // Unlocked explicitly: a pooled connection's session outlives Close.
                await db.Database.ExecuteSqlRawAsync("SELECT pg_advisory_unlock(7283915)", CancellationToken.None);
            }
        }
        finally
        {
            await db.Database.CloseConnectionAsync();
        }
    }

    public async Task InitializeAsync(CancellationToken ct = default)
    {
        await MigrateAsync(ct);
        if (db.Database.IsSqlite())
        {
            // WAL lets readers go on while one writer writes; the setting is kept in the file.
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode=WAL;", ct);
        }

        // Several instances may start together on an empty database: the seed runs in one transaction whose
        // first write is the settings row (a fixed key), so a second instance waits, fails as a duplicate,
        // and runs the seed again, finding everything there.
        for (var attempt = 1; ; attempt++)
        {
            await using var transaction = await db.Database.BeginTransactionAsync(ct);
            try
            {
                await SeedAsync(ct);
                await transaction.CommitAsync(ct);
                return;
            }
            catch (DbUpdateException) when (attempt < 3)
            {
                await transaction.RollbackAsync(ct);
                db.ChangeTracker.Clear();
            }
        }
    }

    private async Task SeedAsync(CancellationToken ct)
    {
        if (!await db.ParentChildSettings.AnyAsync(ct))
        {
            db.ParentChildSettings.Add(new ParentChildSettings());
            await db.SaveChangesAsync(ct);
        }

        foreach (var role in Roles.All)
        {
            if (!await roles.RoleExistsAsync(role))
            {
                Check(await roles.CreateAsync(new IdentityRole(role)));
            }
        }

        if (!await db.Categories.AnyAsync(ct))
        {
            db.Categories.AddRange(SeedCategories.Select(name => new Category { Name = name }));
            await db.SaveChangesAsync(ct);
        }

        if (await users.FindByIdAsync(SystemUsers.MailId) is null)
        {
            Check(await users.CreateAsync(new AppUser
            {
                Id = SystemUsers.MailId, UserName = SystemUsers.MailUserName, Email = SystemUsers.MailUserName,
                DisplayName = SystemUsers.MailDisplayName, IsActive = false, LockoutEnabled = true, LockoutEnd = DateTimeOffset.MaxValue,
            }));
        }

        if (SeedsDemo)
        {
            foreach (var demo in DemoUsers)
            {
                await EnsureUserAsync(demo.Email, demo.Password, demo.Role, demo.DisplayName);
            }

            await DemoData.SeedAsync(db, users, clock.GetUtcNow().UtcDateTime, ct);
        }
        else
        {
            await EnsureProductionAdministratorAsync();
        }
    }

    private async Task EnsureProductionAdministratorAsync()
    {
        if ((await users.GetUsersInRoleAsync(Roles.Administrator)).Count > 0)
        {
            return;
        }

        var email = configuration["Seed:AdminEmail"];
        var password = configuration["Seed:AdminPassword"];
        if (string.IsNullOrWhiteSpace(email) || string.IsNullOrWhiteSpace(password))
        {
            throw new InvalidOperationException(
                "The database has no administrator: set Seed:AdminEmail and Seed:AdminPassword (or Seed:Demo=true for the demo).");
        }

        await EnsureUserAsync(email, password, Roles.Administrator, email);
        logger.LogInformation("Created the administrator {Email}", email);
    }

    private async Task EnsureUserAsync(string email, string password, string role, string displayName)
    {
        if (await users.FindByEmailAsync(email) is not null)
        {
            return;
        }

        var user = new AppUser { UserName = email, Email = email, EmailConfirmed = true, DisplayName = displayName };
        Check(await users.CreateAsync(user, password));
        Check(await users.AddToRoleAsync(user, role));
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
