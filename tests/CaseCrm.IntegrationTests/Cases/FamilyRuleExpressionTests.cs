using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.CaseFamily;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Caching.Hybrid;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace CaseCrm.IntegrationTests.Cases;

/// <summary>
/// "May become a child" is one expression (<see cref="CaseFamilyRules.CanBecomeChild"/>) used three ways: compiled by the
/// domain's check, as the WHERE of the set-based UPDATE that links children, and as the look-up of "Agregar caso
/// existente". For every status, with and without a parent, with and without children, the three agree.
/// </summary>
public abstract class FamilyRuleExpressionTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    // Without a parent: no, one or several children; with a parent: none (the database allows no other child shape).
    private static readonly (bool HasParent, int Children)[] Shapes = [(false, 0), (false, 1), (false, 3), (true, 0)];

    [Fact]
    public async Task CanBecomeChild_DomainUpdateAndLookupAgree_ForEveryStatusParentAndChildCount()
    {
        var token = "regla" + Guid.NewGuid().ToString("N")[..8];
        var anchor = await Data.CaseAsync(fields: Data.Fields(title: "Principal de la prueba"));
        var asker = await Data.CaseAsync(fields: Data.Fields(title: "El que busca"));
        var states = new List<(int Id, CaseStatus Status, bool HasParent, int Children)>();
        foreach (var status in Enum.GetValues<CaseStatus>())
        {
            foreach (var (hasParent, children) in Shapes)
            {
                var item = await Data.CaseAsync(fields: Data.Fields(title: $"{token} {status} {hasParent} {children}"));
                // The state as stored, whatever path led to it (a case with a parent never has children: CK_Cases_ChildHasNoChildren).
                await Database.InDbAsync(db => db.Cases.Where(c => c.Id == item.Id).ExecuteUpdateAsync(set => set
                    .SetProperty(c => c.Status, status)
                    .SetProperty(c => c.ParentId, hasParent ? anchor.Id : null)
                    .SetProperty(c => c.ChildCount, children)));
                states.Add((item.Id, status, hasParent, children));
            }
        }

        var ids = states.Select(s => s.Id).ToList();
        var stored = await Database.InDbAsync(db => db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id)).ToListAsync());
        var byDomain = stored.Where(CaseFamilyRules.MayBecomeChild).Select(c => c.Id).Order().ToList();

        // The domain's check names a reason exactly for the cases the compiled rule refuses.
        Assert.All(stored, c => Assert.Equal(!CaseFamilyRules.MayBecomeChild(c), CaseFamilyRules.WhyNotChild(c).Any()));
        // What the rule means, written out: active, not a parent, not a child.
        Assert.Equal(
            states.Where(s => s.Status.IsActive() && !s.HasParent && s.Children == 0).Select(s => s.Id).Order(),
            byDomain);

        var byUpdate = await Database.InDbAsync(async db =>
        {
            await using var transaction = await db.Database.BeginTransactionAsync();
            var written = await db.Cases.Where(c => ids.Contains(c.Id)).Where(CaseFamilyRules.CanBecomeChild)
                .ExecuteUpdateAsync(set => set.SetProperty(c => c.Version, c => c.Version + 1000));
            var matched = await db.Cases.AsNoTracking().Where(c => ids.Contains(c.Id) && c.Version >= 1000).Select(c => c.Id).OrderBy(id => id).ToListAsync();
            await transaction.RollbackAsync();
            Assert.Equal(matched.Count, written);
            return matched;
        });
        Assert.Equal(byDomain, byUpdate);

        var byLookup = await Database.InDbAsync(async db =>
        {
            using var services = new ServiceCollection().AddHybridCache().Services.BuildServiceProvider();
            var reference = new ReferenceData(services.GetRequiredService<HybridCache>(), db, Options.Create(new ReferenceDataOptions()));
            var rows = await new CaseFamilyQueries(db, reference).LookupAsync(asker.Id, token, includeChildren: false, CancellationToken.None);
            return rows.Select(r => r.Id).Order().ToList();
        });
        Assert.Equal(byDomain, byLookup);
    }

    public sealed class Sqlite() : FamilyRuleExpressionTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : FamilyRuleExpressionTests(DatabaseProvider.Postgres);
}
