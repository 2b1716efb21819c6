using System.Data.Common;
using System.Globalization;
using System.Security.Claims;
using System.Text;
using System.Text.Encodings.Web;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Web;
using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Antiforgery;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Extensions;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Primitives;

namespace CaseCrm.Benchmarks;

/// <summary>
/// The benchmark's yardstick: the contact page with its "Casos" tab (<c>/Contacts/{id}?tab=cases</c>), byte for byte
/// the same HTML as the Razor page (the script diffs them, antiforgery tokens aside), written by hand: one ADO.NET
/// command with three SELECTs on the context's connection, and a StringBuilder with HTML encoding. No EF query, no
/// Razor, no MVC. Only in the benchmark host. Keep it in step with Contacts/Details.cshtml,
/// ContactActionsTagHelper, StatusBadge, _Pager and _Layout: the script fails when they drift apart.
/// </summary>
internal sealed class ContactCasesBaseline(
    CrmDbContext db,
    IStringLocalizer<SharedResource> l,
    IAntiforgery antiforgery,
    IFileVersionProvider files,
    HtmlEncoder html)
{
    private sealed record Row(int Id, string Title, CaseStatus Status, string Category, CasePriority? Priority, string? Assignee, DateTime CreatedAt);

    public async Task<string?> RenderAsync(HttpContext context, int id, int page, CancellationToken ct)
    {
        page = Paging.Clamp(page);
        var connection = db.Database.GetDbConnection();
        var opened = connection.State != System.Data.ConnectionState.Open;
        if (opened)
        {
            await connection.OpenAsync(ct);
        }

        try
        {
            await using var command = connection.CreateCommand();
            command.CommandText = """
                SELECT c."FirstName", c."LastName", c."JobTitle", c."AccountId", a."Name"
                FROM "Contacts" AS c LEFT JOIN "Accounts" AS a ON a."Id" = c."AccountId"
                WHERE c."Id" = @id;
                SELECT COUNT(*) FROM "Cases" WHERE "ContactId" = @id;
                SELECT k."Id", k."Title", k."Status", g."Name", k."Priority", u."DisplayName", k."CreatedAt"
                FROM "Cases" AS k
                JOIN "Categories" AS g ON g."Id" = k."CategoryId"
                LEFT JOIN "AspNetUsers" AS u ON u."Id" = k."AssignedToId"
                WHERE k."ContactId" = @id
                ORDER BY k."Id" DESC
                LIMIT @take OFFSET @skip;
                """;
            Add(command, "@id", id);
            Add(command, "@take", Paging.Size + 1);
            Add(command, "@skip", Paging.Skip(page));
            await using var reader = await command.ExecuteReaderAsync(ct);
            if (!await reader.ReadAsync(ct))
            {
                return null;
            }

            var first = reader.IsDBNull(0) ? null : reader.GetString(0);
            var last = reader.IsDBNull(1) ? null : reader.GetString(1);
            var jobTitle = reader.IsDBNull(2) ? null : reader.GetString(2);
            int? accountId = reader.IsDBNull(3) ? null : reader.GetInt32(3);
            var accountName = reader.IsDBNull(4) ? null : reader.GetString(4);
            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var count = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            await reader.NextResultAsync(ct);
            var rows = new List<Row>(Paging.Size + 1);
            while (await reader.ReadAsync(ct))
            {
                rows.Add(new Row(
                    reader.GetInt32(0), reader.GetString(1), (CaseStatus)reader.GetInt32(2), reader.GetString(3),
                    reader.IsDBNull(4) ? null : (CasePriority)reader.GetInt32(4), reader.IsDBNull(5) ? null : reader.GetString(5),
                    reader.GetDateTime(6)));
            }

            return Render(context, id, page, Contact.FormatName(first, last), jobTitle, accountId, accountName, count, rows);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static void Add(DbCommand command, string name, int value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private string Render(
        HttpContext context, int id, int page, string fullName, string? jobTitle, int? accountId, string? accountName, int count, List<Row> rows)
    {
        var user = context.User;
        var culture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var path = "/Contacts/" + id.ToString(CultureInfo.InvariantCulture);
        var current = path + context.Request.QueryString;
        var token = antiforgery.GetAndStoreTokens(context).RequestToken;
        var tokenInput = $"<input name=\"__RequestVerificationToken\" type=\"hidden\" value=\"{E(token)}\" />";
        var createCase = $"{path}/Cases/Create?returnUrl={Uri.EscapeDataString(current)}";
        var s = new StringBuilder(16_384);

        s.Append("<!DOCTYPE html>\n<html lang=\"").Append(E(culture)).Append("\">\n<head>\n")
            .Append("    <meta charset=\"utf-8\" />\n")
            .Append("    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("    <title>").Append(E(fullName)).Append(" · CaseCrm</title>\n")
            .Append("    <link rel=\"icon\" href=\"data:,\" />\n")
            .Append("    <link rel=\"stylesheet\" href=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/css/site.css"))).Append("\" />\n")
            .Append("</head>\n<body class=\"with-menu\">\n")
            .Append("    <header class=\"topbar\">\n")
            .Append("        <a class=\"brand\" href=\"/\">CaseCrm</a>\n")
            .Append("            <form method=\"get\" role=\"search\" class=\"quick-search\" id=\"quick-search\" action=\"/Search\">\n")
            .Append("                <label for=\"quick-search-q\" class=\"visually-hidden\">").Append(L("Search_Label")).Append("</label>\n")
            .Append("                <input type=\"search\" id=\"quick-search-q\" name=\"q\" placeholder=\"").Append(L("Search_Hint")).Append("\" maxlength=\"200\" />\n")
            .Append("                <button type=\"submit\" class=\"btn btn-small\">").Append(L("Action_Search")).Append("</button>\n")
            .Append("            </form>\n")
            .Append("        <div class=\"topbar-right\">\n")
            .Append("            <form method=\"post\" class=\"inline-form\" id=\"language-form\" action=\"/Home/Language\">\n")
            .Append("                <input type=\"hidden\" name=\"returnUrl\" value=\"").Append(E(current)).Append("\" />\n")
            .Append("                <label for=\"culture\" class=\"visually-hidden\">").Append(L("Layout_Language")).Append("</label>\n")
            .Append("                <select id=\"culture\" name=\"culture\" data-autosubmit>\n")
            .Append("                    <option value=\"es\"").Append(culture == "es" ? " selected=\"selected\"" : "").Append(">Español</option>\n")
            .Append("                    <option value=\"en\"").Append(culture == "en" ? " selected=\"selected\"" : "").Append(">English</option>\n")
            .Append("                </select>\n")
            .Append("                <button type=\"submit\" class=\"btn btn-small\" data-hide-with-js>").Append(L("Layout_ChangeLanguage")).Append("</button>\n")
            .Append("            ").Append(tokenInput).Append("</form>\n")
            .Append("                <a class=\"user-name\" href=\"/Account/ChangePassword\" title=\"").Append(L("Account_ChangePassword")).Append("\">")
            .Append(E(user.FindFirst(AppClaimsFactory.DisplayNameClaim)?.Value ?? user.Identity!.Name)).Append("</a>\n")
            .Append("                <form method=\"post\" class=\"inline-form\" action=\"/Account/Logout\">\n")
            .Append("                    <button type=\"submit\" class=\"btn btn-small\">").Append(L("Layout_SignOut")).Append("</button>\n")
            .Append("                ").Append(tokenInput).Append("</form>\n")
            .Append("        </div>\n")
            .Append("    </header>\n")
            .Append("        <nav class=\"sidemenu\" aria-label=\"").Append(L("Menu_Title")).Append("\">\n")
            .Append("            <h2 class=\"menu-title\">").Append(L("Menu_Title")).Append("</h2>\n")
            .Append("            <ul>\n")
            .Append("                <li><a href=\"/\">").Append(L("Menu_Home")).Append("</a></li>\n")
            .Append("            </ul>\n")
            .Append("            <h3>").Append(L("Menu_Sales")).Append("</h3>\n")
            .Append("            <ul>\n")
            .Append("                <li><a class=\"active\" href=\"/Contacts\">").Append(L("Menu_Contacts")).Append("</a></li>\n")
            .Append("                <li><a href=\"/Accounts\">").Append(L("Menu_Accounts")).Append("</a></li>\n")
            .Append("            </ul>\n")
            .Append("            <h3>").Append(L("Menu_Service")).Append("</h3>\n")
            .Append("            <ul>\n")
            .Append("                <li><a href=\"/Cases\">").Append(L("Menu_Cases")).Append("</a></li>\n")
            .Append("            </ul>\n");
        if (user.IsInRole(Roles.Administrator))
        {
            s.Append("                <h3>").Append(L("Menu_Settings")).Append("</h3>\n")
                .Append("                <ul>\n")
                .Append("                    <li><a href=\"/Users\">").Append(L("Menu_Users")).Append("</a></li>\n")
                .Append("                    <li><a href=\"/Categories\">").Append(L("Menu_Categories")).Append("</a></li>\n")
                .Append("                    <li><a href=\"/Settings/ParentChild\">").Append(L("Menu_ParentChild")).Append("</a></li>\n")
                .Append("                </ul>\n");
        }

        s.Append("        </nav>\n")
            .Append("    <main class=\"content\">\n")
            .Append("        <div class=\"page-header\">\n")
            .Append("    <div>\n")
            .Append("        <h1>").Append(E(fullName)).Append("</h1>\n")
            .Append("        <p class=\"subtitle\">\n")
            .Append("            ").Append(E(jobTitle)).Append('\n');
        if (accountId is { } account)
        {
            s.Append(string.IsNullOrEmpty(jobTitle) ? "" : " · ")
                .Append("<a href=\"/Accounts/").Append(account.ToString(CultureInfo.InvariantCulture)).Append("\">").Append(E(accountName)).Append("</a>\n");
        }

        var actions = L("Contact_Actions");
        s.Append("        </p>\n")
            .Append("    </div>\n")
            .Append("    <details class=\"menu contact-actions\">\n")
            .Append("    <summary aria-haspopup=\"menu\" class=\"btn\" aria-label=\"").Append(actions).Append("\" title=\"").Append(actions).Append("\">")
            .Append(actions).Append(" ▾</summary>\n")
            .Append("    <div class=\"menu-panel\" role=\"menu\">\n")
            .Append("        <a role=\"menuitem\" href=\"").Append(path).Append("/Edit\">").Append(L("Action_Edit")).Append("</a>\n")
            .Append("        <details class=\"submenu\">\n")
            .Append("            <summary role=\"menuitem\">").Append(L("Contact_CasesMenu")).Append("</summary>\n")
            .Append("            <div class=\"submenu-panel\">\n")
            .Append("                <a role=\"menuitem\" href=\"").Append(E(createCase)).Append("\">").Append(L("Case_Add")).Append("</a>\n")
            .Append("                <a role=\"menuitem\" href=\"").Append(path).Append("?tab=cases\">").Append(L("Contact_ViewCases")).Append("</a>\n")
            .Append("            </div>\n")
            .Append("        </details>\n")
            .Append("    </div>\n")
            .Append("</details>\n")
            .Append('\n')
            .Append("</div>\n")
            .Append("<nav class=\"tabs\" aria-label=\"").Append(L("Contact_Tabs")).Append("\">\n")
            .Append("    <a href=\"").Append(path).Append("\">").Append(L("Tab_Details")).Append("</a>\n")
            .Append("    <a class=\"active\" aria-current=\"page\" href=\"").Append(path).Append("?tab=cases\">").Append(L("Tab_Cases"))
            .Append(" <span class=\"badge\" data-testid=\"case-count\">").Append(E(count.ToString("N0", CultureInfo.CurrentCulture))).Append("</span></a>\n")
            .Append("</nav>\n")
            .Append("    <section id=\"contact-cases\">\n")
            .Append("        <div class=\"toolbar\">\n")
            .Append("            <a class=\"btn btn-primary\" href=\"").Append(E(createCase)).Append("\">").Append(L("Case_Add")).Append("</a>\n")
            .Append("        </div>\n");
        var shown = rows.Count > Paging.Size ? rows.GetRange(0, Paging.Size) : rows;
        if (shown.Count == 0)
        {
            s.Append("            <p class=\"empty\">").Append(L("Contact_NoCases")).Append("</p>\n");
        }
        else
        {
            s.Append("            <table class=\"list\">\n")
                .Append("                <thead>\n")
                .Append("                    <tr>\n");
            foreach (var header in (string[])["Field_Number", "Field_Title", "Field_Status", "Field_Category", "Field_Priority", "Field_AssignedTo", "Field_CreatedAt"])
            {
                s.Append("                        <th scope=\"col\">").Append(L(header)).Append("</th>\n");
            }

            s.Append("                    </tr>\n")
                .Append("                </thead>\n")
                .Append("                <tbody>\n");
            foreach (var row in shown)
            {
                var caseId = row.Id.ToString(CultureInfo.InvariantCulture);
                s.Append("                        <tr data-case-id=\"").Append(caseId).Append("\">\n")
                    .Append("                            <td><a href=\"/Cases/").Append(caseId).Append("\">").Append(CaseNumber.Format(row.Id)).Append("</a></td>\n")
                    .Append("                            <td>").Append(E(row.Title)).Append("</td>\n")
                    .Append("                            <td><span class=\"status ").Append(row.Status.IsActive() ? "status-active" : "status-closed").Append("\">")
                    .Append(L("CaseStatus_" + row.Status)).Append("</span></td>\n")
                    .Append("                            <td>").Append(E(row.Category)).Append("</td>\n")
                    .Append("                            <td>").Append(row.Priority is { } p ? L("CasePriority_" + p) : "").Append("</td>\n")
                    .Append("                            <td>").Append(E(row.Assignee)).Append("</td>\n")
                    .Append("                            <td>").Append(E(row.CreatedAt.ToLocalTime().ToString("g", CultureInfo.CurrentCulture))).Append("</td>\n")
                    .Append("                        </tr>\n");
            }

            s.Append("                </tbody>\n")
                .Append("            </table>\n")
                .Append("            ");
            var hasPrevious = page > 1;
            var hasNext = rows.Count > Paging.Size && page < Paging.MaxPage(Paging.Size);
            if (hasPrevious || hasNext)
            {
                s.Append("    <nav class=\"pager\" aria-label=\"").Append(L("Pager_Label")).Append("\">\n");
                if (hasPrevious)
                {
                    s.Append("            <a class=\"btn btn-small\" rel=\"prev\" href=\"").Append(E(PageLink(context.Request, path, page - 1))).Append("\">")
                        .Append(L("Pager_Previous")).Append("</a>\n");
                }

                s.Append("        <span>").Append(E(l["Pager_Page", page].Value)).Append("</span>\n");
                if (hasNext)
                {
                    s.Append("            <a class=\"btn btn-small\" rel=\"next\" href=\"").Append(E(PageLink(context.Request, path, page + 1))).Append("\">")
                        .Append(L("Pager_Next")).Append("</a>\n");
                }

                s.Append("    </nav>\n");
            }

            s.Append('\n');
        }

        s.Append("    </section>\n")
            .Append('\n')
            .Append("    </main>\n")
            .Append("    <script src=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/js/site.js"))).Append("\"></script>\n")
            .Append("    \n")
            .Append("</body>\n")
            .Append("</html>\n");
        return s.ToString();
    }

    /// <summary>As QueryLinks.With, for the page's own path rather than the baseline's.</summary>
    private static string PageLink(HttpRequest request, string path, int page)
    {
        var values = request.Query.ToDictionary(q => q.Key, q => q.Value, StringComparer.OrdinalIgnoreCase);
        values["page"] = new StringValues(page.ToString(CultureInfo.InvariantCulture));
        var query = new QueryBuilder(values.SelectMany(v => v.Value.Select(x => new KeyValuePair<string, string>(v.Key, x ?? string.Empty))));
        return request.PathBase + path + query.ToQueryString();
    }

    private string L(string key) => html.Encode(l[key].Value);

    private string E(string? value) => value is null ? string.Empty : html.Encode(value);
}
