using CaseCrm.Domain.Accounts;
using System.Globalization;
using System.Net;
using System.Text;
using System.Text.Json;
using AngleSharp.Html.Dom;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;
using Xunit.Abstractions;
using AccountEntity = CaseCrm.Domain.Accounts.Account;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// Stored XSS: hostile text typed into every text field through the app's own forms (and, for what the forms refuse,
/// stored directly as old or imported data would be) comes back HTML-encoded on every page that shows it — lists,
/// details, history, forms, flash messages, look-ups — and no page gets an injected element, handler or javascript: link.
/// Reflected input (search boxes, filters, return URLs) is encoded the same way.
/// </summary>
public sealed class XssTests(SqliteSecurityFactory factory, ITestOutputHelper output) : IClassFixture<SqliteSecurityFactory>
{
    /// <summary>What a page must never contain if it encoded what it shows.</summary>
    private static readonly string[] RawMarkers = ["<script>alert", "<img src=x", "<svg onload", "<svg/onload", "<b>xss"];

    private static readonly string[] UrlAttributes = ["href", "src", "action", "formaction", "xlink:href", "data", "srcdoc"];

    [Fact]
    public async Task StoredPayloads_InEveryTextField_AreEncodedOnEveryPageThatShowsThem()
    {
        var stored = await StorePayloadsAsync();
        var p = stored.Payloads;
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var c = stored;
        var pages = new (string Url, string[] Shows)[]
        {
            ($"/Contacts?q={p.Tag}", ["first", "last", "cemail", "account"]),
            ($"/Contacts/{c.ContactId}", ["first", "last", "cemail", "job", "account"]),
            ($"/Contacts/{c.ContactId}?tab=cases", ["first", "last", "title2", "resolved", "child"]),
            ($"/Contacts/{c.ContactId}/Edit", ["first", "last", "cemail", "job", "account"]),
            ($"/Accounts?q={p.Tag}", ["account", "aemail"]),
            ($"/Accounts/{c.AccountId}", ["account", "address", "aemail", "first", "last"]),
            ($"/Accounts/{c.AccountId}?tab=cases", ["account", "title2", "first", "user"]),
            ($"/Accounts/{c.AccountId}/Edit", ["account", "address", "aemail"]),
            ($"/Accounts/{c.JsAccountId}", ["jsaccount"]),
            ($"/Cases?view=all&q={p.Tag}", ["title2", "resolved", "child", "first", "user"]),
            ($"/Cases?view=all&categoryId={c.CategoryId}", ["category", "resolved", "first", "user"]),
            ($"/Cases/{c.CaseId}", ["title2", "description", "first", "account", "comment2", "comment-by-user", "user", "rawfile"]),
            ($"/Cases/{c.CaseId}?tab=history", ["title", "title2", "category", "user", "comment", "comment2", "rawfile"]),
            ($"/Cases/{c.CaseId}?tab=relations", ["title2", "child"]),
            ($"/Cases/{c.CaseId}?tab=relations&add=true&find={p.Tag}", ["title2", "resolved-free"]),
            ($"/Cases/{c.CaseId}/Edit", ["title2", "description", "first", "account"]),
            ($"/Cases/{c.CaseId}/Resolve", ["title2"]),
            ($"/Cases/{c.ChildId}", ["child", "title2", "category"]),
            ($"/Cases/{c.ResolvedId}", ["resolved", "resolution", "category"]),
            ($"/Cases/{c.ResolvedId}/Edit", ["resolved", "resolution", "category"]),
            ($"/Contacts/{c.ContactId}/Cases/Create", ["first", "account", "category", "title2"]),
            ($"/Cases/{c.CaseId}/Children/Create", ["title2", "first", "account"]),
            ($"/Cases/{c.CaseId}/Comments/{c.CommentId}/Edit", ["comment2"]),
            ($"/Cases/Associate?ids={c.CaseId}&ids={c.FreeCaseId}", ["title2", "resolved-free", "first"]),
            ("/Categories", ["category"]),
            ($"/Categories/{c.CategoryId}/Edit", ["category"]),
            ("/Users", ["user"]),
            ($"/Users/{c.UserId}/Edit", ["user"]),
            ($"/Users/{c.UserId}/Password", ["user"]),
        };

        var failures = new List<string>();
        foreach (var (url, shows) in pages)
        {
            failures.AddRange(await CheckPageAsync(admin, url, shows.Select(p.Stored).ToArray()));
        }

        // The payload user's own layout shows their display name.
        failures.AddRange(await CheckPageAsync(stored.UserSession, "/Cases", [p.For("user")]));
        failures.AddRange(stored.FlashFailures);

        output.WriteLine($"{pages.Length + 1} pages checked, {failures.Count} problems.");
        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AJavascriptWebsite_IsRefusedByTheForm_AndNeverRenderedAsALink()
    {
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var name = "Cuenta js " + NewTag();
        var form = await admin.Client.GetFormAsync("/Accounts/Create");

        foreach (var website in new[] { "javascript:alert(1)", " JavaScript:alert(document.cookie)", "data:text/html,<script>alert(1)</script>", "vbscript:msgbox(1)" })
        {
            using var refused = await form.Set("Name", name).Set("Website", website).PostAsync();
            Assert.Equal(HttpStatusCode.OK, refused.StatusCode);
            Assert.NotNull((await refused.ReadHtmlAsync()).FieldError("Website"));
        }

        Assert.False(await factory.InDbAsync(db => db.Accounts.AnyAsync(a => a.Name == name)));
    }

    [Fact]
    public async Task AccountLookup_AnswersJsonThatEscapesMarkup()
    {
        var stored = await StorePayloadsAsync();
        var admin = await factory.SharedSessionAsync(Principal.Administrador);

        using var response = await admin.GetAsync($"/Accounts/Lookup?q={stored.Payloads.Tag}");
        var json = await response.Content.ReadAsStringAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/json", response.Content.Headers.ContentType?.MediaType);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
        Assert.DoesNotContain("<", json, StringComparison.Ordinal);
        using var document = JsonDocument.Parse(json);
        Assert.Contains(document.RootElement.EnumerateArray(), a => a.GetProperty("name").GetString() == stored.Payloads.For("account"));
    }

    [Fact]
    public async Task AttachmentDownloads_HaveASafeNameAndAreNeverRenderedInline()
    {
        var stored = await StorePayloadsAsync();
        var admin = await factory.SharedSessionAsync(Principal.Administrador);

        using var response = await admin.GetAsync($"/Cases/{stored.CaseId}/Attachments/{stored.RawAttachmentId}");

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("application/octet-stream", response.Content.Headers.ContentType?.MediaType);
        var disposition = response.Content.Headers.ContentDisposition;
        Assert.Equal("attachment", disposition?.DispositionType);
        var fileName = disposition?.FileNameStar ?? disposition?.FileName ?? "";
        Assert.DoesNotContain("<", fileName, StringComparison.Ordinal);
        Assert.DoesNotContain(">", fileName, StringComparison.Ordinal);
        Assert.DoesNotContain("\"", fileName.Trim('"'), StringComparison.Ordinal);
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());
    }

    [Fact]
    public async Task ReflectedInput_InSearchBoxesFiltersAndReturnUrls_IsEncoded()
    {
        var world = await factory.SharedWorldAsync();
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        using var anonymous = factory.NewSession();
        var payload = "\"><img src=x onerror=alert('q')><script>alert('q')</script>";
        var q = Uri.EscapeDataString(payload);
        var failures = new List<string>();

        foreach (var url in new[]
        {
            $"/Contacts?q={q}&sort={q}&dir={q}",
            $"/Accounts?q={q}&sort={q}&dir={q}",
            $"/Cases?q={q}&assignee={q}&sort={q}&dir={q}&view={q}&status={q}&priority={q}&categoryId={q}",
            $"/Cases/{world.CaseId}?tab=relations&add=true&find={q}",
            $"/Contacts/{world.ContactId}/Cases/Create?returnUrl={q}",
            $"/Contacts/Create?accountId={q}",
        })
        {
            failures.AddRange(await CheckPageAsync(admin, url, []));
        }

        failures.AddRange(await CheckPageAsync(anonymous, $"/Account/Login?ReturnUrl={q}", []));

        // Not local: the cancel link and the redirect after saving never take a javascript: or foreign return URL.
        foreach (var returnUrl in new[] { "javascript:alert(1)", "//evil.test/", "https://evil.test/", "/\\evil.test" })
        {
            var page = await admin.Client.GetDocumentAsync($"/Contacts/{world.ContactId}/Cases/Create?returnUrl={Uri.EscapeDataString(returnUrl)}");
            var links = page.QuerySelectorAll("a[href]").Select(a => a.GetAttribute("href")!).ToList();
            if (links.Any(h => h.Contains("evil.test", StringComparison.Ordinal) || h.StartsWith("javascript:", StringComparison.OrdinalIgnoreCase)))
            {
                failures.Add($"returnUrl {returnUrl} became a link");
            }

            var login = await anonymous.Client.GetFormAsync($"/Account/Login?ReturnUrl={Uri.EscapeDataString(returnUrl)}");
            var (_, email, password) = await factory.SharedUserAsync(Roles.Agent, "xss-return");
            using var redirected = await login.Set("Email", email).Set("Password", password).PostAsync();
            if (redirected.Headers.Location?.OriginalString != "/")
            {
                failures.Add($"signing in with ReturnUrl {returnUrl} redirected to {redirected.Headers.Location}");
            }

            anonymous.ForgetToken();
            using var signOut = await anonymous.PostAsync("/Account/Logout");
            anonymous.ForgetToken();

            using var language = await anonymous.PostAsync("/Home/Language", [KeyValuePair.Create("culture", "es"), KeyValuePair.Create("returnUrl", returnUrl)]);
            if (language.Headers.Location?.OriginalString != "/")
            {
                failures.Add($"the language switch with returnUrl {returnUrl} redirected to {language.Headers.Location}");
            }
        }

        Assert.True(failures.Count == 0, string.Join("\n", failures));
    }

    [Fact]
    public async Task AFormShownAgainWithErrors_EncodesWhatWasTyped()
    {
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var p = new XssPayloads(NewTag());
        var form = await admin.Client.GetFormAsync("/Contacts/Create");

        using var response = await form.Set("FirstName", p.For("first")).Set("JobTitle", p.For("job")).Set("Email", "no es un correo").PostAsync();

        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var html = await response.Content.ReadAsStringAsync();
        var document = await response.ReadHtmlAsync();
        Assert.NotNull(document.FieldError("Email"));
        Assert.Empty(Problems(html, document, [p.For("first"), p.For("job")]));
    }

    /// <summary>What is wrong with a page: injected markup or elements, or an expected payload that it does not show.</summary>
    private async Task<IReadOnlyList<string>> CheckPageAsync(TestSession session, string url, string[] shows)
    {
        using var response = await session.GetAsync(url);
        var html = await response.Content.ReadAsStringAsync();
        if (response.StatusCode != HttpStatusCode.OK)
        {
            return [$"{url}: answered {(int)response.StatusCode}"];
        }

        var problems = Problems(html, await response.ReadHtmlAsync(), shows);
        output.WriteLine($"{url} → {(problems.Count == 0 ? "encoded" : string.Join("; ", problems))}");
        return problems.Select(problem => $"{url}: {problem}").ToList();
    }

    private static List<string> Problems(string html, IHtmlDocument document, IReadOnlyList<string> shows)
    {
        var problems = new List<string>();
        problems.AddRange(RawMarkers.Where(m => html.Contains(m, StringComparison.OrdinalIgnoreCase)).Select(m => $"raw markup '{m}' in the source"));
        problems.AddRange(InjectedElements(document));
        var visible = VisibleText(document);
        problems.AddRange(shows.Where(s => !visible.Contains(s, StringComparison.Ordinal)).Select(s => $"does not show '{s[..Math.Min(20, s.Length)]}…'"));
        return problems;
    }

    /// <summary>Elements and attributes that only injected markup would add: the app has no inline script nor handler.</summary>
    public static IEnumerable<string> InjectedElements(IHtmlDocument document)
    {
        foreach (var script in document.Scripts)
        {
            var src = script.GetAttribute("src");
            if (src is null || !(src.StartsWith("/js/", StringComparison.Ordinal) || src.StartsWith("/lib/", StringComparison.Ordinal)))
            {
                yield return $"script element {(src is null ? "inline" : src)}";
            }
        }

        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                if (attribute.Name.StartsWith("on", StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"<{element.LocalName} {attribute.Name}>";
                }

                if (UrlAttributes.Contains(attribute.Name, StringComparer.OrdinalIgnoreCase)
                    && attribute.Value.Trim().StartsWith("javascript:", StringComparison.OrdinalIgnoreCase))
                {
                    yield return $"<{element.LocalName} {attribute.Name}=\"{attribute.Value}\">";
                }
            }

            if (element.LocalName is "svg" or "iframe" or "object" or "embed" or "base"
                || (element.LocalName == "img" && element.GetAttribute("src") == "x"))
            {
                yield return $"<{element.LocalName}> element";
            }
        }
    }

    /// <summary>Everything a page shows or puts in its controls: text, values, titles and data attributes.</summary>
    private static string VisibleText(IHtmlDocument document)
    {
        var builder = new StringBuilder(document.DocumentElement.TextContent);
        foreach (var element in document.All)
        {
            foreach (var attribute in element.Attributes)
            {
                builder.Append('\n').Append(attribute.Value);
            }
        }

        return builder.ToString();
    }

    private static string NewTag() => "x" + Guid.NewGuid().ToString("N")[..7];

    /// <summary>The rows holding the payloads, stored once per class through the app's forms.</summary>
    private sealed record Stored(
        XssPayloads Payloads, int AccountId, int JsAccountId, int ContactId, int CaseId, int ChildId, int ResolvedId, int FreeCaseId,
        int CommentId, int RawAttachmentId, int CategoryId, string UserId, TestSession UserSession, IReadOnlyList<string> FlashFailures);

    private static readonly SemaphoreSlim StoreLock = new(1, 1);
    private static readonly Dictionary<SecurityWebFactory, Stored> StoredByFactory = [];

    private async Task<Stored> StorePayloadsAsync()
    {
        await StoreLock.WaitAsync();
        try
        {
            if (!StoredByFactory.TryGetValue(factory, out var stored))
            {
                stored = await StoreAsync();
                StoredByFactory[factory] = stored;
            }

            return stored;
        }
        finally
        {
            StoreLock.Release();
        }
    }

    private async Task<Stored> StoreAsync()
    {
        var p = new XssPayloads(NewTag());
        var admin = await factory.SharedSessionAsync(Principal.Administrador);
        var client = admin.Client;
        var flash = new List<string>();

        async Task<HttpResponseMessage> SavedAsync(Task<HttpResponseMessage> post, string what)
        {
            var response = await post;
            if (response.StatusCode != HttpStatusCode.Redirect)
            {
                var errors = string.Join(" ", (await response.ReadHtmlAsync()).ValidationErrors());
                throw new InvalidOperationException($"Storing {what} answered {(int)response.StatusCode}: {errors}");
            }

            // The page after the save shows a flash message that may quote the name: it must be encoded too.
            using var next = await client.FollowRedirectAsync(response);
            var html = await next.Content.ReadAsStringAsync();
            flash.AddRange(Problems(html, await next.ReadHtmlAsync(), []).Select(problem => $"after saving {what}: {problem}"));
            return response;
        }

        // Configuración: a category and a user (display name), by the administrator.
        var categoryForm = await client.GetFormAsync("/Categories", "#category-form");
        (await SavedAsync(categoryForm.Set("Name", p.For("category")).PostAsync(), "category")).Dispose();
        var categoryId = await factory.InDbAsync(db => db.Categories.Where(k => k.Name == p.For("category")).Select(k => k.Id).SingleAsync());

        var userEmail = $"{p.Tag}@casecrm.test";
        const string userPassword = "clave-del-usuario-xss";
        var userForm = await client.GetFormAsync("/Users/Create", "#user-form");
        (await SavedAsync(userForm.Set("DisplayName", p.For("user")).Set("Email", userEmail).Set("Password", userPassword)
            .SetAll("Roles", [Roles.Agent]).PostAsync(), "user")).Dispose();
        var userId = await factory.InDbAsync(db => db.Users.Where(u => u.Email == userEmail).Select(u => u.Id).SingleAsync());

        // Ventas: an account and a contact of it, every text field hostile.
        var accountForm = await client.GetFormAsync("/Accounts/Create");
        accountForm.Set("Name", p.For("account")).Set("TaxId", p.Brief("taxid")).Set("Phone", p.Brief("aphone"))
            .Set("Email", p.Email("aemail")).Set("Address", p.For("address"))
            .Set("Website", $"https://{p.Tag}.test/\"><img src=x onerror=alert('web')>");
        using var account = await SavedAsync(accountForm.PostAsync(), "account");
        var accountId = IdFrom(account);

        var contactForm = await client.GetFormAsync($"/Contacts/Create?accountId={accountId}");
        contactForm.Set("FirstName", p.For("first")).Set("LastName", p.For("last")).Set("Email", p.Email("cemail"))
            .Set("Phone", p.Brief("phone")).Set("Mobile", p.Brief("mobile")).Set("JobTitle", p.For("job"));
        using var contact = await SavedAsync(contactForm.PostAsync(), "contact");
        var contactId = IdFrom(contact);

        // Servicio: cases with hostile title, description and resolution, in the hostile category.
        async Task<int> AddCaseAsync(string titleKey)
        {
            var caseForm = await client.GetFormAsync($"/Contacts/{contactId}/Cases/Create", "#case-form");
            caseForm.Set("Title", p.For(titleKey)).Set("Description", p.For("description")).Set("CategoryId", categoryId);
            (await SavedAsync(caseForm.PostAsync(), titleKey)).Dispose();
            return await factory.InDbAsync(db => db.Cases.Where(k => k.Title == p.For(titleKey)).Select(k => k.Id).SingleAsync());
        }

        var caseId = await AddCaseAsync("title");
        var resolvedId = await AddCaseAsync("resolved");
        var freeCaseId = await AddCaseAsync("resolved-free");

        var resolveForm = await client.GetFormAsync($"/Cases/{resolvedId}/Resolve", "#close-form");
        (await SavedAsync(resolveForm.Set("Resolution", p.For("resolution")).PostAsync(), "resolution")).Dispose();

        var childForm = await client.GetFormAsync($"/Cases/{caseId}/Children/Create", "#case-form");
        (await SavedAsync(childForm.Set("Title", p.For("child")).Set("CategoryId", categoryId).Set("Description", p.For("description")).PostAsync(), "child")).Dispose();
        var childId = await factory.InDbAsync(db => db.Cases.Where(k => k.Title == p.For("child")).Select(k => k.Id).SingleAsync());

        // Edit: the history keeps the old title and category next to the new ones.
        var consultaId = await factory.InDbAsync(db => db.Categories.Where(k => k.Name == "Consulta").Select(k => k.Id).SingleAsync());
        var editForm = await client.GetFormAsync($"/Cases/{caseId}/Edit", "#case-form");
        (await SavedAsync(editForm.Set("Title", p.For("title2")).Set("CategoryId", consultaId).PostAsync(), "edit")).Dispose();
        (await SavedAsync(admin.PostAsync($"/Cases/{caseId}/Assign", [KeyValuePair.Create("assigneeId", userId)]), "assignment")).Dispose();

        // Comments: one by the administrator, edited (old text in the history), one by the hostile user.
        var commentForm = await client.GetFormAsync($"/Cases/{caseId}", "#comment-form");
        (await SavedAsync(commentForm.Set("Body", p.For("comment")).PostAsync(), "comment")).Dispose();
        var commentId = await factory.InDbAsync(db => db.CaseComments.Where(k => k.Body == p.For("comment")).Select(k => k.Id).SingleAsync());
        var editComment = await client.GetFormAsync($"/Cases/{caseId}/Comments/{commentId}/Edit");
        (await SavedAsync(editComment.Set("Body", p.For("comment2")).PostAsync(), "comment edit")).Dispose();

        var userSession = factory.NewSession();
        await userSession.SignInAsync(userEmail, userPassword);
        var userComment = await userSession.Client.GetFormAsync($"/Cases/{caseId}", "#comment-form");
        using (var saved = await userComment.Set("Body", p.For("comment-by-user")).PostAsync())
        {
            Assert.Equal(HttpStatusCode.Redirect, saved.StatusCode);
        }

        // Attachments: markup in the file name through the upload form (the app cleans it), and a raw name stored directly.
        (await SavedAsync(admin.PostAsync($"/Cases/{caseId}/Attachments", file: ("files", "\"><img src=x onerror=alert('file')>.txt", Encoding.UTF8.GetBytes("hola"))), "upload")).Dispose();
        Assert.True(await factory.InDbAsync(db => db.CaseAttachments.AnyAsync(a => a.CaseId == caseId)), "The upload with a hostile name was not stored.");
        var (adminId, _, _) = await factory.SharedUserAsync(Roles.Administrator, "shared");
        var rawAttachmentId = await factory.InDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var attachment = new CaseAttachment(caseId, "raw.txt", Encoding.UTF8.GetBytes("hola"), adminId, now);
            var rawName = p.For("rawfile") + ".txt";
            db.CaseAttachments.Add(attachment);
            db.CaseHistory.Add(CaseHistoryEntry.Of(caseId, HistoryField.AttachmentAdded, null, rawName, adminId, now));
            await db.SaveChangesAsync();
            // The hostile name written behind the domain's back, as old or imported data could hold it.
            await db.CaseAttachments.Where(a => a.Id == attachment.Id).ExecuteUpdateAsync(s => s.SetProperty(a => a.FileName, rawName));
            return attachment.Id;
        });

        // What the form refuses (a javascript: website), stored as old or imported data could hold it.
        var jsAccountId = await factory.InDbAsync(async db =>
        {
            var now = DateTime.UtcNow;
            var js = new AccountEntity(new AccountDetails(p.For("jsaccount"), null, null, null, "javascript:alert('website')", null), null, now);
            db.Accounts.Add(js);
            await db.SaveChangesAsync();
            return js.Id;
        });

        return new Stored(p, accountId, jsAccountId, contactId, caseId, childId, resolvedId, freeCaseId, commentId, rawAttachmentId,
            categoryId, userId, userSession, flash);
    }

    private static int IdFrom(HttpResponseMessage redirect) =>
        int.Parse(redirect.Headers.Location!.OriginalString.Split('?')[0].TrimEnd('/').Split('/')[^1], CultureInfo.InvariantCulture);
}

/// <summary>Hostile text, one per field, each with a tag that makes it unique and searchable.</summary>
public sealed class XssPayloads(string tag)
{
    public string Tag => tag;

    /// <summary>Closes an attribute, adds an element with a handler and a script block: "x1234567-title\"&gt;&lt;img …".</summary>
    public string For(string field) => $"{tag}-{field} \"><img src=x onerror=alert('{field}')><script>alert('{field}')</script>'";

    /// <summary>The payload stored in <paramref name="field"/>: emails have their own form.</summary>
    public string Stored(string field) => field.EndsWith("email", StringComparison.Ordinal) ? Email(field) : For(field);

    /// <summary>For fields of 40 characters (phones, tax id): still unique through the tag.</summary>
    public string Brief(string field) => $"\"><svg onload=alert(1)>{tag}{field}"[..Math.Min(40, 23 + tag.Length + field.Length)];

    /// <summary>Accepted by the email rule (something@something) yet hostile.</summary>
    public string Email(string field) => $"\"><script>alert('{field}')</script>{tag}{field}@x.test";
}
