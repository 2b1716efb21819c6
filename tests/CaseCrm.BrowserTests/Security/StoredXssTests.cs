using System.Text;
using CaseCrm.BrowserTests.Infrastructure;
using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Security;

/// <summary>
/// Hostile payloads stored in every text field; the tests run on an app and a database of their own, so that the
/// payloads never show in the other browser tests' pages or in the README's screenshots.
/// </summary>
[CollectionDefinition(Name)]
public sealed class SecurityBrowserCollection : ICollectionFixture<BrowserFixture>
{
    public const string Name = "Browser (security)";
}

/// <summary>
/// A real browser visits every page that shows the stored payloads (lists, details, history, relations, forms, look-ups,
/// the association dialog that script builds, the account picker that script fills): no JavaScript dialog opens and no
/// injected element exists. Once as users get the pages (with the Content-Security-Policy), and once with the CSP
/// bypassed, so that the encoding is proven on its own and not only hidden by the CSP.
/// </summary>
[Collection(SecurityBrowserCollection.Name)]
public sealed class StoredXssTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    private static readonly SemaphoreSlim StoreLock = new(1, 1);
    private static readonly Dictionary<BrowserFixture, XssWorld> Worlds = [];

    [Fact]
    public Task NoDialogFires_AndNothingIsInjected_WithTheContentSecurityPolicy() => RunAsync(async () =>
    {
        var world = await WorldAsync();
        await VisitEverythingAsync(Page, world);
    });

    [Fact]
    public Task NoDialogFires_AndNothingIsInjected_EvenWithTheCspBypassed() => RunAsync(async () =>
    {
        var world = await WorldAsync();
        await using var context = await Fixture.Browser.NewContextAsync(new BrowserNewContextOptions
        {
            BaseURL = Fixture.BaseUrl.ToString(),
            ViewportSize = new ViewportSize { Width = 1280, Height = 800 },
            Locale = "es-ES",
            BypassCSP = true,
        });
        context.SetDefaultTimeout(BrowserFixture.DefaultTimeout);
        var page = await context.NewPageAsync();
        await VisitEverythingAsync(page, world);
    });

    private async Task VisitEverythingAsync(IPage page, XssWorld w)
    {
        var dialogs = new List<string>();
        page.Dialog += (_, dialog) =>
        {
            lock (dialogs)
            {
                dialogs.Add($"{dialog.Type}: {dialog.Message} at {page.Url}");
            }

            _ = dialog.DismissAsync();
        };
        var errors = new List<string>();

        await SignInAsync(page, DemoUsers.Administrator.Email, DemoUsers.Administrator.Password);
        var pages = new[]
        {
            $"/Contacts?q={w.Tag}", $"/Contacts/{w.ContactId}", $"/Contacts/{w.ContactId}?tab=cases", $"/Contacts/{w.ContactId}/Edit",
            $"/Accounts?q={w.Tag}", $"/Accounts/{w.AccountId}", $"/Accounts/{w.AccountId}?tab=cases", $"/Accounts/{w.AccountId}/Edit",
            $"/Accounts/{w.JsAccountId}",
            $"/Cases?view=all&q={w.Tag}", $"/Cases?view=all&categoryId={w.CategoryId}",
            $"/Cases/{w.CaseId}", $"/Cases/{w.CaseId}?tab=history", $"/Cases/{w.CaseId}?tab=relations",
            $"/Cases/{w.CaseId}?tab=relations&add=true&find={w.Tag}", $"/Cases/{w.CaseId}/Edit", $"/Cases/{w.CaseId}/Resolve",
            $"/Cases/{w.ChildId}", $"/Cases/{w.ResolvedId}", $"/Contacts/{w.ContactId}/Cases/Create", $"/Cases/{w.CaseId}/Children/Create",
            $"/Cases/{w.CaseId}/Comments/{w.CommentId}/Edit", $"/Cases/Associate?ids={w.CaseId}&ids={w.FreeCaseId}",
            "/Categories", $"/Categories/{w.CategoryId}/Edit", "/Users", $"/Users/{w.UserId}/Edit", $"/Users/{w.UserId}/Password",
            $"/Contacts?q={Uri.EscapeDataString(XssWorld.Payload(w.Tag, "reflected"))}",
            "/Cases/Views", $"/Cases/Views/{w.SavedViewId}", $"/Cases/Views/Create?view=all&q={Uri.EscapeDataString(XssWorld.Payload(w.Tag, "viewq"))}",
        };
        foreach (var url in pages)
        {
            await page.GotoAsync(url);
            errors.AddRange(await InjectedAsync(page, url));
        }

        // The association dialog: script builds its labels from the selected rows' titles.
        await page.GotoAsync($"/Cases?view=all&q={w.Tag}");
        await page.Locator($"tr[data-case-id='{w.CaseId}'] input[name=ids]").CheckAsync();
        await page.Locator($"tr[data-case-id='{w.FreeCaseId}'] input[name=ids]").CheckAsync();
        await page.Locator("#associate-button").ClickAsync();
        var dialog = page.Locator("#associate-dialog");
        await Expect(dialog).ToBeVisibleAsync();
        await Expect(dialog.Locator("label").First).ToContainTextAsync(w.Tag);
        errors.AddRange(await InjectedAsync(page, "association dialog"));
        await dialog.Locator("[data-close-dialog]").ClickAsync();

        // The account picker: script adds the matching accounts (hostile names) as options.
        await page.GotoAsync("/Contacts/Create");
        var search = page.Locator("input[data-account-lookup]");
        await search.FillAsync(w.Tag);
        await Expect(page.Locator("select[name=AccountId] option", new() { HasText = w.Tag }).First).ToBeAttachedAsync();
        errors.AddRange(await InjectedAsync(page, "account picker"));

        // The hostile user's own pages: their name in the top bar, their comment.
        await page.Context.ClearCookiesAsync();
        await SignInAsync(page, w.UserEmail, w.UserPassword);
        await page.GotoAsync($"/Cases/{w.CaseId}");
        await Expect(page.Locator(".user-name")).ToHaveTextAsync(XssWorld.Payload(w.Tag, "user"));
        errors.AddRange(await InjectedAsync(page, "the hostile user's case page"));

        // Give any handler that might have been injected a moment to run.
        await page.WaitForTimeoutAsync(300);
        Output.WriteLine($"{pages.Length + 3} pages and widgets visited; dialogs: {dialogs.Count}; injected: {errors.Count}.");
        lock (dialogs)
        {
            Assert.True(dialogs.Count == 0, "A dialog fired:\n" + string.Join("\n", dialogs));
        }

        Assert.True(errors.Count == 0, string.Join("\n", errors));
    }

    /// <summary>Elements and attributes that only injected markup would add (the app has no inline script nor handler).</summary>
    private static async Task<IReadOnlyList<string>> InjectedAsync(IPage page, string where)
    {
        var found = await page.EvaluateAsync<string[]>("""
            () => {
                const found = [];
                document.querySelectorAll('script').forEach(s => {
                    const src = s.getAttribute('src');
                    if (!src || !(src.startsWith('/js/') || src.startsWith('/lib/'))) found.push('script ' + (src || 'inline'));
                });
                document.querySelectorAll('*').forEach(e => {
                    for (const a of e.attributes) {
                        if (a.name.toLowerCase().startsWith('on')) found.push('<' + e.localName + ' ' + a.name + '>');
                        if (['href', 'src', 'action', 'formaction'].includes(a.name) && a.value.trim().toLowerCase().startsWith('javascript:'))
                            found.push('<' + e.localName + ' ' + a.name + '=' + a.value + '>');
                    }
                });
                document.querySelectorAll('img[src="x"], svg, iframe, object, embed').forEach(e => found.push('<' + e.localName + '> element'));
                return found;
            }
            """);
        return found.Select(f => $"{where}: {f}").ToList();
    }

    private async Task<XssWorld> WorldAsync()
    {
        await StoreLock.WaitAsync();
        try
        {
            if (!Worlds.TryGetValue(Fixture, out var world))
            {
                world = await XssWorld.StoreAsync(Fixture.Services);
                Worlds[Fixture] = world;
            }

            return world;
        }
        finally
        {
            StoreLock.Release();
        }
    }
}

/// <summary>The rows holding the payloads, stored with the app's own services (as the forms would store them).</summary>
internal sealed record XssWorld(
    string Tag, int AccountId, int JsAccountId, int ContactId, int CaseId, int ChildId, int ResolvedId, int FreeCaseId,
    int CommentId, int CategoryId, string UserId, string UserEmail, string UserPassword)
{
    /// <summary>The administrator's shared saved view: a hostile name (within its 60 characters) and search text, on every case list's tabs.</summary>
    public int SavedViewId { get; init; }

    /// <summary>Closes an attribute, adds an element with a handler and a script block; unique and searchable through the tag.</summary>
    public static string Payload(string tag, string field) =>
        $"{tag}-{field} \"><img src=x onerror=alert('{field}')><script>alert('{field}')</script>'";

    public static async Task<XssWorld> StoreAsync(IServiceProvider services)
    {
        var tag = "x" + Guid.NewGuid().ToString("N")[..7];
        string P(string field) => Payload(tag, field);
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        var cases = scope.ServiceProvider.GetRequiredService<CaseService>();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>();
        var admin = await users.FindByEmailAsync(DemoUsers.Administrator.Email) ?? throw new InvalidOperationException("No demo administrator.");
        var now = DateTime.UtcNow;

        var category = new Category { Name = P("category") };
        var account = new Account(
            new AccountDetails(P("account"), "\"><svg onload=alert(1)>", "<b onmouseover=alert(1)>1</b>", $"\"><script>alert('aemail')</script>{tag}@x.test",
                $"https://{tag}.test/\"><img src=x onerror=alert('web')>", P("address")),
            null, now);
        var jsAccount = new Account(new AccountDetails(P("jsaccount"), null, null, null, "javascript:alert('website')", null), null, now);
        db.AddRange(category, account, jsAccount);
        await db.SaveChangesAsync();
        var contact = new Contact(
            new ContactDetails(P("first"), P("last"), $"\"><script>alert('cemail')</script>{tag}@x.test", "\"><svg onload=alert(1)>", null, P("job"), account.Id),
            account.Name, null, now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();

        var userEmail = $"{tag}@casecrm.test";
        const string userPassword = "clave-del-usuario-xss";
        var user = new AppUser { UserName = userEmail, Email = userEmail, EmailConfirmed = true, DisplayName = P("user") };
        Check(await users.CreateAsync(user, userPassword));
        Check(await users.AddToRoleAsync(user, Roles.Agent));
        // The category and the user were written behind the app's back: its cache of reference data must show them too.
        var reference = scope.ServiceProvider.GetRequiredService<ReferenceData>();
        await reference.CategoriesChangedAsync(CancellationToken.None);
        await reference.UsersChangedAsync(CancellationToken.None);

        CaseFields Fields(string title) => new(P(title), null, category.Id, CasePriority.High, P("description"), null, null);
        var parent = await cases.AddToContactAsync(contact.Id, Fields("title"), CaseStatus.New, admin.Id);
        var resolved = await cases.AddToContactAsync(contact.Id, Fields("resolved"), CaseStatus.New, admin.Id);
        await cases.ResolveAsync(resolved.Id, P("resolution"), admin.Id);
        var free = await cases.AddToContactAsync(contact.Id, Fields("free"), CaseStatus.New, admin.Id);
        var child = await cases.CreateChildAsync(parent.Id, Fields("child"), CaseStatus.New, admin.Id);
        var version = await db.Cases.AsNoTracking().Where(c => c.Id == parent.Id).Select(c => c.Version).SingleAsync();
        await cases.UpdateAsync(parent.Id, version, Fields("title2"), CaseStatus.InProgress, admin.Id);
        await cases.AssignAsync(parent.Id, user.Id, admin.Id, isSupervisor: true);
        var comment = await cases.AddCommentAsync(parent.Id, P("comment"), admin.Id);
        await cases.EditCommentAsync(parent.Id, comment.Id, P("comment2"), admin.Id, isSupervisor: true);
        await cases.AddCommentAsync(parent.Id, P("comment-by-user"), user.Id);
        await cases.AddAttachmentsAsync(parent.Id, [UploadedFile.Of("\"><img src=x onerror=alert('file')>.txt", Encoding.UTF8.GetBytes("hola"))], admin.Id);
        // A name the app would have made safe, written behind its back: the pages must still encode it.
        var raw = new CaseAttachment(parent.Id, "raw.txt", Encoding.UTF8.GetBytes("hola"), admin.Id, now);
        db.CaseAttachments.Add(raw);
        await db.SaveChangesAsync();
        await db.CaseAttachments.Where(a => a.Id == raw.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.FileName, P("rawfile") + ".txt"));

        var view = new SavedView(admin.Id, $"{tag}\"><img src=x onerror=alert('view')>", "view=all&q=" + Uri.EscapeDataString(P("viewq")), isShared: true);
        db.SavedViews.Add(view);
        await db.SaveChangesAsync();

        return new XssWorld(tag, account.Id, jsAccount.Id, contact.Id, parent.Id, child.Id, resolved.Id, free.Id, comment.Id, category.Id,
            user.Id, userEmail, userPassword) { SavedViewId = view.Id };
    }

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new InvalidOperationException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
