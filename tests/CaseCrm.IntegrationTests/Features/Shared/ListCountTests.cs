using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Shared;

/// <summary>Lists say how many rows match, exactly up to 1,000 and "más de 1.000" beyond; 25, 50 or 100 rows a page.</summary>
public abstract class ListCountTests(CrmWebFactory factory)
{
    [Fact]
    public async Task Lists_CountExactly_SingularAndPlural()
    {
        var data = await factory.NewDataAsync();
        await data.UniqueCaseAsync();
        var token = Token();
        await data.ContactAsync(lastName: token);
        await data.ContactAsync(lastName: token);
        var client = await factory.ClientAsync(Roles.Agent);

        Assert.Equal("1 caso", (await client.GetDocumentAsync($"/Cases?categoryId={data.Category.Id}")).Text("#list-count"));
        Assert.Equal("2 contactos", (await client.GetDocumentAsync($"/Contacts?q={token}")).Text("#list-count"));
        Assert.Equal("2 contactos", (await client.GetDocumentAsync($"/Contacts?q={token}&sort=email")).Text("#list-count"));
        Assert.Equal("1 cuenta", (await client.GetDocumentAsync($"/Accounts?q={Uri.EscapeDataString(data.Account.Name)}")).Text("#list-count"));
    }

    [Fact]
    public async Task BeyondAThousand_TheCountIsCapped_AndPagesOfAnySizeAreOffered()
    {
        var data = await factory.NewDataAsync();
        await data.UniqueCaseAsync();
        // 1 → 1,024 cases of the category, ten set-based copies.
        for (var i = 0; i < 10; i++)
        {
            await factory.InDbAsync(db => db.Database.ExecuteSqlRawAsync(
                """
                INSERT INTO "Cases" ("Title", "SearchTitle", "ContactId", "AccountId", "CategoryId", "Priority", "Status", "Description",
                    "Resolution", "Origin", "AssignedToId", "AssignedAt", "ParentId", "ChildCount", "CreatedById", "CreatedAt",
                    "UpdatedById", "UpdatedAt", "Version")
                SELECT "Title", "SearchTitle", "ContactId", "AccountId", "CategoryId", "Priority", "Status", "Description",
                    "Resolution", "Origin", "AssignedToId", "AssignedAt", NULL, 0, "CreatedById", "CreatedAt",
                    "UpdatedById", "UpdatedAt", "Version"
                FROM "Cases" WHERE "CategoryId" = {0}
                """, data.Category.Id));
        }

        var client = await factory.ClientAsync(Roles.Agent);
        var k = data.Category.Id;

        var first = await client.GetDocumentAsync($"/Cases?categoryId={k}");
        var hundred = await client.GetDocumentAsync($"/Cases?categoryId={k}&size=100&page=3");
        var deep = await client.GetDocumentAsync($"/Cases?categoryId={k}&size=50&page=21");
        var odd = await client.GetDocumentAsync($"/Cases?categoryId={k}&size=7&page=-3");

        Assert.Equal("más de 1.000 casos", first.Text("#list-count"));
        Assert.Equal(25, first.RowIds("#cases tbody tr[data-case-id]", "data-case-id").Count);
        Assert.Equal(100, hundred.RowIds("#cases tbody tr[data-case-id]", "data-case-id").Count);
        Assert.Equal("3", hundred.Text(".pager [aria-current=page]"));
        Assert.Equal(["1", "2", "4", "5"], hundred.QuerySelectorAll(".pager a:not([rel])").Select(a => a.TextContent.Trim()).ToArray());
        Assert.Equal(24, deep.RowIds("#cases tbody tr[data-case-id]", "data-case-id").Count);
        Assert.Equal("más de 1.000 casos", deep.Text("#list-count"));
        Assert.Equal(25, odd.RowIds("#cases tbody tr[data-case-id]", "data-case-id").Count);
        Assert.Equal("1", odd.Text(".pager [aria-current=page]"));
    }

    public sealed class Sqlite(SqliteWebFactory factory) : ListCountTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : ListCountTests(factory), IClassFixture<PostgresWebFactory>;
}
