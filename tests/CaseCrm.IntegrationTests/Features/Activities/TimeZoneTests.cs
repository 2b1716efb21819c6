using CaseCrm.Data.Identity;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.Activities;

/// <summary>
/// "Preferencias": a user's time zone. Times are entered and shown in it and stored in UTC: a task due at 10:00 in
/// Bogotá is stored at 15:00 UTC and shown at 10:00 again; an unknown zone is refused beside the field.
/// </summary>
public sealed class TimeZoneTests(SqliteWebFactory factory) : IClassFixture<SqliteWebFactory>
{
    [Fact]
    public async Task ATaskDueInTheUsersZone_IsStoredInUtc_AndShownBackInThatZone()
    {
        var (user, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        var preferences = await client.GetFormAsync("/Preferences", "#preferences-form");
        using (var bad = await preferences.Set("TimeZoneId", "Marte/Olympus").PostAsync())
        {
            Assert.Equal("Elija una de las opciones de la lista.", (await bad.PageAsync()).Text("#TimeZoneId-error"));
        }

        using (var saved = await preferences.Set("TimeZoneId", "America/Bogota").PostAsync())
        {
            Assert.Equal("Se guardaron sus preferencias.", (await client.FollowAsync(saved)).Flash());
        }

        Assert.Equal("America/Bogota", await factory.InDbAsync(db => db.Users.Where(u => u.Id == user.Id).Select(u => u.TimeZoneId).SingleAsync()));
        var subject = "Con zona " + Token();
        var form = await client.GetFormAsync("/Activities/Create?type=Task", "#activity-form");
        using (var created = await form.Set("Subject", subject).Set("DueAt", "2026-12-10T10:00").PostAsync())
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, created.StatusCode);
        }

        var stored = await factory.InDbAsync(db => db.Activities.Where(a => a.Subject == subject).Select(a => new { a.Id, a.DueAt }).SingleAsync());
        Assert.Equal(new DateTime(2026, 12, 10, 15, 0, 0), stored.DueAt);
        var edit = await client.GetFormAsync($"/Activities/{stored.Id}", "#activity-form");
        Assert.Equal("2026-12-10T10:00", edit.Get("DueAt")![..16]);
    }

    [Fact]
    public async Task EveryPage_ShowsStoredTimesInTheUsersZone()
    {
        var (_, client) = await factory.NewSignedInUserAsync(Roles.Agent);
        using (var saved = await (await client.GetFormAsync("/Preferences", "#preferences-form")).Set("TimeZoneId", "Asia/Tokyo").PostAsync())
        {
            Assert.Equal(System.Net.HttpStatusCode.Redirect, saved.StatusCode);
        }

        var data = await factory.NewDataAsync();
        var item = await data.UniqueCaseAsync("Zona");
        var created = await factory.InDbAsync(db => db.Cases.Where(c => c.Id == item.Id).Select(c => c.CreatedAt).SingleAsync());
        var tokyo = TimeZoneInfo.ConvertTimeFromUtc(DateTime.SpecifyKind(created, DateTimeKind.Utc), TimeZoneInfo.FindSystemTimeZoneById("Asia/Tokyo"));

        var page = await client.GetDocumentAsync($"/Cases/{item.Id}");

        Assert.Contains(tokyo.ToString("g", new System.Globalization.CultureInfo("es")), page.Text("dl.details"), StringComparison.Ordinal);
        var contactPage = await client.GetDocumentAsync($"/Contacts/{data.Contact.Id}?tab=cases");
        Assert.Contains(tokyo.ToString("g", new System.Globalization.CultureInfo("es")), contactPage.Text($"tr[data-case-id='{item.Id}']"), StringComparison.Ordinal);
    }
}
