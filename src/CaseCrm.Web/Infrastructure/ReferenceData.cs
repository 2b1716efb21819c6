using System.ComponentModel;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;

namespace CaseCrm.Web.Infrastructure;

public sealed record CategoryOption(int Id, string Name);

public sealed record UserOption(string Id, string Name);

/// <summary>A category as the cache keeps it: inactive ones too, since a case keeps a category deactivated since.</summary>
public sealed record CachedCategory(int Id, string Name, bool IsActive);

/// <summary>How long another instance may show reference data an administrator changed (configuration "ReferenceData"); zero turns the cache off.</summary>
public sealed class ReferenceDataOptions
{
    public TimeSpan CacheDuration { get; set; } = TimeSpan.FromSeconds(30);
}

/// <summary>
/// What nearly every page shows and administrators rarely change — categories, active users, the parent/child
/// settings — from <see cref="HybridCache"/> instead of the database (ADR 0012). The instance where an administrator
/// saves clears the entry at once; other instances read it again within <see cref="ReferenceDataOptions.CacheDuration"/>.
/// Pages only: the case operations read what their rules need inside their transaction.
/// </summary>
public sealed class ReferenceData(HybridCache cache, CrmDbContext db, Microsoft.Extensions.Options.IOptions<ReferenceDataOptions> options)
{
    private const string CategoriesKey = "reference:categories";
    private const string UsersKey = "reference:active-users";
    private const string SettingsKey = "reference:parent-child-settings";

    private HybridCacheEntryOptions Entry => new() { Expiration = options.Value.CacheDuration, LocalCacheExpiration = options.Value.CacheDuration };

    /// <summary>The active categories by name, plus <paramref name="keep"/> when it has been deactivated since.</summary>
    public async Task<IReadOnlyList<CategoryOption>> CategoriesAsync(int? keep, CancellationToken ct) =>
        (await AllCategoriesAsync(ct)).Where(c => c.IsActive || c.Id == keep).Select(c => new CategoryOption(c.Id, c.Name)).ToList();

    private async Task<IReadOnlyList<CachedCategory>> AllCategoriesAsync(CancellationToken ct) =>
        (await CachedAsync(CategoriesKey, async token => new Frozen<CachedCategory>(
            await db.Categories.AsNoTracking().OrderBy(c => c.Name).Select(c => new CachedCategory(c.Id, c.Name, c.IsActive)).ToArrayAsync(token)),
            ct)).Items;

    /// <summary>The active users by name: who can be assigned.</summary>
    public async Task<IReadOnlyList<UserOption>> ActiveUsersAsync(CancellationToken ct) =>
        (await CachedAsync(UsersKey, async token => new Frozen<UserOption>(
            await db.Users.AsNoTracking().Where(u => u.IsActive).OrderBy(u => u.DisplayName).Select(u => new UserOption(u.Id, u.DisplayName)).ToArrayAsync(token)),
            ct)).Items;

    /// <summary>The parent/child settings as pages show them (a copy; never saved).</summary>
    public async Task<ParentChildSettings> ParentChildSettingsAsync(CancellationToken ct)
    {
        var stored = await CachedAsync(SettingsKey, async token =>
            await db.ParentChildSettings.AsNoTracking().SingleOrDefaultAsync(s => s.Id == ParentChildSettings.SingletonId, token)
                is { } s ? new SettingsSnapshot(s.InheritedFields, s.ClosurePreference, s.MaxChildren, s.LookupsIncludeChildren) : null,
            ct);
        var settings = new ParentChildSettings();
        if (stored is not null)
        {
            settings.InheritedFields = stored.InheritedFields;
            settings.ClosurePreference = stored.ClosurePreference;
            settings.MaxChildren = stored.MaxChildren;
            settings.LookupsIncludeChildren = stored.LookupsIncludeChildren;
        }

        return settings;
    }

    private async Task<T> CachedAsync<T>(string key, Func<CancellationToken, ValueTask<T>> read, CancellationToken ct) =>
        options.Value.CacheDuration > TimeSpan.Zero
            ? await cache.GetOrCreateAsync(key, read, Entry, cancellationToken: ct)
            : await read(ct);

    public ValueTask CategoriesChangedAsync(CancellationToken ct) => cache.RemoveAsync(CategoriesKey, ct);

    public ValueTask UsersChangedAsync(CancellationToken ct) => cache.RemoveAsync(UsersKey, ct);

    public ValueTask SettingsChangedAsync(CancellationToken ct) => cache.RemoveAsync(SettingsKey, ct);

    // Sealed and marked immutable, so HybridCache hands out the cached instance instead of a deserialized copy per read.
    [ImmutableObject(true)]
    private sealed record Frozen<T>(IReadOnlyList<T> Items);

    [ImmutableObject(true)]
    private sealed record SettingsSnapshot(InheritedFields InheritedFields, ClosurePreference ClosurePreference, int MaxChildren, bool LookupsIncludeChildren);
}
