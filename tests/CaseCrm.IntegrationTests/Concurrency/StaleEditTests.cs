using System.Net;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;

namespace CaseCrm.IntegrationTests.Concurrency;

/// <summary>
/// No lost update, over HTTP with the real forms: two agents open the same case for editing; the first saves; the
/// second's save is refused with the stale-edit message, keeps what the second typed and shows what the first saved;
/// the database keeps the first's values until the second, having seen them, saves again on purpose.
/// </summary>
public abstract class StaleEditTests(CrmWebFactory factory)
{
    [Fact]
    public async Task SecondSaveOfTheSameVersion_IsRefusedWithBothVersionsVisible_ThenSavesOnPurpose()
    {
        var data = await TestData.CreateAsync(factory.Database, DbInitializer.DemoUsers.Single(u => u.Role == Roles.Agent).Email);
        var item = await data.CaseAsync(fields: data.Fields(title: "Factura duplicada", description: "El cliente recibió dos facturas."));
        var agent = await factory.CreateSignedInClientAsync(Roles.Agent);
        var supervisor = await factory.CreateSignedInClientAsync(Roles.Supervisor);
        var editUrl = $"/Cases/{item.Id}/Edit";

        // Both open the form on the same version.
        var agentForm = await agent.GetFormAsync(editUrl, "#case-form");
        var supervisorForm = await supervisor.GetFormAsync(editUrl, "#case-form");
        Assert.Equal(item.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), agentForm.Get("Version"));
        Assert.Equal(agentForm.Get("Version"), supervisorForm.Get("Version"));

        // The agent saves first.
        using (var first = await agentForm.Set("Title", "Factura duplicada de octubre").Set("Priority", CasePriority.High).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, first.StatusCode);
        }

        // The supervisor saves the version both opened: refused, nothing lost on either side.
        using var second = await supervisorForm
            .Set("Title", "Cobro repetido")
            .Set("Description", "Se le cobró dos veces la misma factura.")
            .PostAsync();
        Assert.Equal(HttpStatusCode.OK, second.StatusCode);
        var page = await second.ReadHtmlAsync();
        var message = Assert.Single(page.ValidationErrors(), e => e.StartsWith("Otro usuario guardó el caso", StringComparison.Ordinal));
        Assert.Contains(item.Number, message, StringComparison.Ordinal);

        // The supervisor's typed values are still in the form...
        var retry = page.GetForm(supervisor, "#case-form");
        Assert.Equal("Cobro repetido", retry.Get("Title"));
        Assert.Equal("Se le cobró dos veces la misma factura.", retry.Get("Description"));
        // ...and the agent's saved values are shown beside them, with who saved them.
        var saved = page.GetElementById("saved-version");
        Assert.NotNull(saved);
        Assert.Contains("Factura duplicada de octubre", saved.TextContent, StringComparison.Ordinal);
        Assert.Contains("Alta", saved.TextContent, StringComparison.Ordinal);
        Assert.Contains("El cliente recibió dos facturas.", saved.TextContent, StringComparison.Ordinal);
        Assert.Contains("Ana Agente", saved.TextContent, StringComparison.Ordinal);

        // The database has the agent's save, untouched by the refused one.
        var afterRefusal = await factory.Database.FindCaseAsync(item.Id);
        Assert.Equal("Factura duplicada de octubre", afterRefusal.Title);
        Assert.Equal(CasePriority.High, afterRefusal.Priority);
        Assert.Equal("El cliente recibió dos facturas.", afterRefusal.Description);
        Assert.Equal(item.Version + 1, afterRefusal.Version);

        // The form now carries the current version: saving again, on purpose, wins.
        Assert.Equal(afterRefusal.Version.ToString(System.Globalization.CultureInfo.InvariantCulture), retry.Get("Version"));
        using (var third = await retry.PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, third.StatusCode);
        }

        var final = await factory.Database.FindCaseAsync(item.Id);
        Assert.Equal("Cobro repetido", final.Title);
        Assert.Equal("Se le cobró dos veces la misma factura.", final.Description);
        Assert.Equal(afterRefusal.Version + 1, final.Version);

        // And the agent, still on the form of the first version, is now the one refused.
        using var stale = await agentForm.Set("Title", "Otro título").PostAsync();
        Assert.Equal(HttpStatusCode.OK, stale.StatusCode);
        Assert.Equal("Cobro repetido", (await factory.Database.FindCaseAsync(item.Id)).Title);
    }

    public sealed class Sqlite(SqliteWebFactory factory) : StaleEditTests(factory), IClassFixture<SqliteWebFactory>;

    public sealed class Postgres(PostgresWebFactory factory) : StaleEditTests(factory), IClassFixture<PostgresWebFactory>;
}
