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
    HtmlEncoder html,
    CurrentUser me)
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
                SELECT COUNT(*) FROM "Notifications" WHERE "UserId" = @user AND "ReadAt" IS NULL;
                """;
            Add(command, "@id", id);
            Add(command, "@take", Paging.Size + 1);
            Add(command, "@skip", Paging.Skip(page));
            Add(command, "@user", me.Id);
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

            await reader.NextResultAsync(ct);
            await reader.ReadAsync(ct);
            var unread = Convert.ToInt32(reader.GetValue(0), CultureInfo.InvariantCulture);
            return Render(context, id, page, Contact.FormatName(first, last), jobTitle, accountId, accountName, count, rows, unread);
        }
        finally
        {
            if (opened)
            {
                await connection.CloseAsync();
            }
        }
    }

    private static void Add(DbCommand command, string name, object value)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.Value = value;
        command.Parameters.Add(parameter);
    }

    private string Render(
        HttpContext context, int id, int page, string fullName, string? jobTitle, int? accountId, string? accountName, int count, List<Row> rows, int unread)
    {
        var bellLabel = unread switch
        {
            0 => l["Notifications_BellNone"].Value,
            1 => l["Notifications_BellOne"].Value,
            _ => string.Format(CultureInfo.CurrentCulture, l["Notifications_BellMany"].Value, unread),
        };
        var user = context.User;
        var culture = CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
        var idText = id.ToString(CultureInfo.InvariantCulture);
        var path = "/Contacts/" + idText;
        var current = path + context.Request.QueryString;
        var token = antiforgery.GetAndStoreTokens(context).RequestToken;
        var tokenInput = $"<input name=\"__RequestVerificationToken\" type=\"hidden\" value=\"{E(token)}\" />";
        var back = UrlEncoder.Default.Encode(current);
        var createCase = $"{path}/Cases/Create?returnUrl={back}";
        var logCall = E($"/Activities/Create?type=Call&regardingType=Contact&regardingId={idText}&returnUrl={back}");
        var newTask = E($"/Activities/Create?type=Task&regardingType=Contact&regardingId={idText}&returnUrl={back}");
        var s = new StringBuilder(16_384);

        s.Append("<!DOCTYPE html>\n<html lang=\"").Append(E(culture)).Append("\">\n<head>\n")
            .Append("    <meta charset=\"utf-8\" />\n")
            .Append("    <meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n")
            .Append("    <title>").Append(E(fullName)).Append(" · CaseCrm</title>\n")
            .Append("    <link rel=\"icon\" href=\"data:,\" />\n")
            .Append("    <link rel=\"stylesheet\" href=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/lib/bootstrap/css/bootstrap.min.css"))).Append("\" />\n")
            .Append("    <link rel=\"stylesheet\" href=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/lib/bootstrap-icons/font/bootstrap-icons.min.css"))).Append("\" />\n")
            .Append("    <link rel=\"stylesheet\" href=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/css/site.css"))).Append("\" />\n")
            .Append("</head>\n<body class=\"with-menu\">\n")
            .Append("    <a class=\"visually-hidden-focusable skip-link\" href=\"#content\">").Append(L("Layout_SkipToContent")).Append("</a>\n")
            .Append("    <header class=\"navbar navbar-dark bg-primary topbar\">\n")
            .Append("        <div class=\"container-fluid gap-2\">\n")
            .Append("                <a class=\"btn btn-outline-light d-lg-none\" href=\"#sidemenu\" role=\"button\" data-bs-toggle=\"offcanvas\" data-bs-target=\"#sidemenu\" aria-controls=\"sidemenu\" aria-label=\"")
            .Append(L("Layout_OpenMenu")).Append("\"><i class=\"bi bi-list\" aria-hidden=\"true\"></i></a>\n")
            .Append("            <a class=\"navbar-brand brand me-auto me-md-0\" href=\"/\">CaseCrm</a>\n")
            .Append("                <form method=\"get\" role=\"search\" class=\"quick-search d-flex flex-grow-1\" id=\"quick-search\" aria-label=\"").Append(L("Layout_QuickSearch")).Append("\" action=\"/Search\">\n")
            .Append("                    <label for=\"quick-search-q\" class=\"visually-hidden\">").Append(L("Layout_QuickSearch")).Append("</label>\n")
            .Append("                    <input type=\"search\" id=\"quick-search-q\" name=\"q\" maxlength=\"200\" class=\"form-control form-control-sm\" placeholder=\"").Append(L("Layout_QuickSearchHint")).Append("\" autocomplete=\"off\" />\n")
            .Append("                    <button type=\"submit\" class=\"btn btn-light btn-sm ms-1\"><i class=\"bi bi-search\" aria-hidden=\"true\"></i><span class=\"visually-hidden\">").Append(L("Action_Search")).Append("</span></button>\n")
            .Append("                </form>\n")
            .Append("            <div class=\"topbar-right d-flex align-items-center gap-2\">\n")
            .Append("                <form method=\"post\" class=\"d-flex align-items-center gap-1\" id=\"language-form\" action=\"/Home/Language\">\n")
            .Append("                    <input type=\"hidden\" name=\"returnUrl\" value=\"").Append(E(current)).Append("\" />\n")
            .Append("                    <label for=\"culture\" class=\"visually-hidden\">").Append(L("Layout_Language")).Append("</label>\n")
            .Append("                    <select id=\"culture\" name=\"culture\" class=\"form-select form-select-sm\">")
            .Append(culture == "es" ? "<option selected=\"selected\" value=\"es\">" : "<option value=\"es\">").Append("Español</option>\n")
            .Append(culture == "en" ? "<option selected=\"selected\" value=\"en\">" : "<option value=\"en\">").Append("English</option>\n")
            .Append("</select>\n")
            .Append("                    <button type=\"submit\" class=\"btn btn-outline-light btn-sm\"><i class=\"bi bi-translate\" aria-hidden=\"true\"></i> <span class=\"sm-visually-hidden\">").Append(L("Layout_ChangeLanguage")).Append("</span></button>\n")
            .Append("                ").Append(tokenInput).Append("</form>\n")
            .Append("                    <a class=\"user-name link-light text-nowrap\" title=\"").Append(L("Account_ChangePassword")).Append("\" href=\"/Account/ChangePassword\"><i class=\"bi bi-person-circle\" aria-hidden=\"true\"></i> <span class=\"sm-visually-hidden\">")
            .Append(E(user.FindFirst(AppClaimsFactory.DisplayNameClaim)?.Value ?? user.Identity!.Name)).Append("</span></a>\n")
            .Append("                    <a class=\"btn btn-outline-light btn-sm text-nowrap\" id=\"notification-bell\" title=\"").Append(E(bellLabel)).Append("\" href=\"/Notifications\">\n")
            .Append("                        <i class=\"bi ").Append(unread > 0 ? "bi-bell-fill" : "bi-bell").Append("\" aria-hidden=\"true\"></i>\n")
            .Append("                        <span class=\"visually-hidden\" id=\"notification-bell-label\">").Append(E(bellLabel)).Append("</span>\n")
            .Append(unread > 0 ? $"                            <span class=\"badge rounded-pill text-bg-danger\" id=\"notification-count\" aria-hidden=\"true\">{(unread > 99 ? "99+" : unread.ToString(CultureInfo.CurrentCulture))}</span>\n" : "")
            .Append("                    </a>\n")
            .Append("                    <a class=\"link-light text-nowrap\" title=\"").Append(L("Nav_Preferences")).Append("\" href=\"/Preferences\"><i class=\"bi bi-gear\" aria-hidden=\"true\"></i><span class=\"visually-hidden\">").Append(L("Nav_Preferences")).Append("</span></a>\n")
            .Append("                    <form method=\"post\" class=\"m-0\" action=\"/Account/Logout\">\n")
            .Append("                        <button type=\"submit\" class=\"btn btn-outline-light btn-sm text-nowrap\"><i class=\"bi bi-box-arrow-right\" aria-hidden=\"true\"></i> <span class=\"sm-visually-hidden\">").Append(L("Layout_SignOut")).Append("</span></button>\n")
            .Append("                    ").Append(tokenInput).Append("</form>\n")
            .Append("            </div>\n")
            .Append("        </div>\n")
            .Append("    </header>\n")
            .Append("    <div class=\"page-body\">\n")
            .Append("            <nav class=\"offcanvas-lg offcanvas-start sidemenu\" id=\"sidemenu\" tabindex=\"-1\" aria-labelledby=\"sidemenu-title\">\n")
            .Append("                <div class=\"offcanvas-header\">\n")
            .Append("                    <h2 class=\"offcanvas-title menu-title\" id=\"sidemenu-title\">").Append(L("Menu_Title")).Append("</h2>\n")
            .Append("                    <a class=\"btn-close d-lg-none\" href=\"#content\" role=\"button\" data-bs-dismiss=\"offcanvas\" data-bs-target=\"#sidemenu\" aria-label=\"").Append(L("Layout_CloseMenu")).Append("\"></a>\n")
            .Append("                </div>\n")
            .Append("                <div class=\"offcanvas-body flex-column\">\n")
            .Append("                    <ul class=\"nav nav-pills flex-column\">\n");
        MenuItem(s, "/", "bi-house", "Menu_Home");
        s.Append("                    </ul>\n")
            .Append("                    <h3>").Append(L("Menu_Sales")).Append("</h3>\n")
            .Append("                    <ul class=\"nav nav-pills flex-column\">\n")
            .Append("                        <li class=\"nav-item\"><a class=\"nav-link active\" aria-current=\"page\" href=\"/Contacts\"><i class=\"bi bi-person-lines-fill\" aria-hidden=\"true\"></i> ")
            .Append(L("Menu_Contacts")).Append("</a></li>\n");
        MenuItem(s, "/Accounts", "bi-building", "Menu_Accounts");
        s.Append("                    </ul>\n")
            .Append("                    <h3>").Append(L("Menu_Service")).Append("</h3>\n")
            .Append("                    <ul class=\"nav nav-pills flex-column\">\n");
        MenuItem(s, "/Cases", "bi-briefcase", "Menu_Cases");
        MenuItem(s, "/Activities", "bi-telephone", "Nav_Activities");
        MenuItem(s, "/Calendar", "bi-calendar3", "Nav_Calendar");
        s.Append("                    </ul>\n");
        if (user.IsInRole(Roles.Administrator))
        {
            s.Append("                        <h3>").Append(L("Menu_Settings")).Append("</h3>\n")
                .Append("                        <ul class=\"nav nav-pills flex-column\">\n");
            MenuItem(s, "/Users", "bi-people", "Menu_Users", "    ");
            MenuItem(s, "/Categories", "bi-tags", "Menu_Categories", "    ");
            MenuItem(s, "/Settings/ParentChild", "bi-diagram-3", "Menu_ParentChild", "    ");
            MenuItem(s, "/Mailboxes", "bi-envelope", "Menu_Mailboxes", "    ");
            MenuItem(s, "/QuickReplies", "bi-chat-square-quote", "Menu_QuickReplies", "    ");
            MenuItem(s, "/ServiceLevels", "bi-stopwatch", "Menu_ServiceLevels", "    ");
            s.Append("                        </ul>\n");
        }

        s.Append("                </div>\n")
            .Append("            </nav>\n")
            .Append("        <main class=\"content\" id=\"content\" tabindex=\"-1\">\n")
            .Append("            <div class=\"page-header\">\n")
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
            .Append("    <div class=\"toolbar\">\n")
            .Append("        <a class=\"btn btn-primary\" id=\"log-call\" href=\"").Append(logCall).Append("\"><i class=\"bi bi-telephone\" aria-hidden=\"true\"></i> ").Append(L("Activity_LogCall")).Append("</a>\n")
            .Append("        <a class=\"btn btn-outline-primary\" id=\"new-task\" href=\"").Append(newTask).Append("\"><i class=\"bi bi-check2-square\" aria-hidden=\"true\"></i> ").Append(L("Activity_NewTask")).Append("</a>\n")
            .Append("        <details class=\"menu contact-actions\">\n")
            .Append("    <summary aria-haspopup=\"menu\" class=\"btn btn-outline-secondary\" aria-label=\"").Append(actions).Append("\" title=\"").Append(actions).Append("\">")
            .Append(E(l["Contact_Actions"].Value + " ▾")).Append("</summary>\n")
            .Append("    <div class=\"dropdown-menu shadow\" role=\"menu\">\n")
            .Append("        <a role=\"menuitem\" class=\"dropdown-item\" href=\"").Append(path).Append("/Edit\">").Append(L("Action_Edit")).Append("</a>\n")
            .Append("        <details class=\"submenu\">\n")
            .Append("            <summary role=\"menuitem\" aria-haspopup=\"menu\" class=\"dropdown-item\">").Append(L("Contact_CasesMenu")).Append("</summary>\n")
            .Append("            <div class=\"submenu-panel\">\n")
            .Append("                <a role=\"menuitem\" class=\"dropdown-item\" href=\"").Append(E(createCase)).Append("\">").Append(L("Case_Add")).Append("</a>\n")
            .Append("                <a role=\"menuitem\" class=\"dropdown-item\" href=\"").Append(path).Append("?tab=cases\">").Append(L("Contact_ViewCases")).Append("</a>\n")
            .Append("            </div>\n")
            .Append("        </details>\n")
            .Append("        <a role=\"menuitem\" class=\"dropdown-item\" href=\"").Append(logCall).Append("\">").Append(L("Activity_LogCall")).Append("</a>\n")
            .Append("        <a role=\"menuitem\" class=\"dropdown-item\" href=\"").Append(newTask).Append("\">").Append(L("Activity_NewTask")).Append("</a>\n")
            .Append("    </div>\n")
            .Append("</details>\n")
            .Append('\n')
            .Append("    </div>\n")
            .Append("</div>\n")
            .Append("<nav aria-label=\"").Append(L("Contact_Tabs")).Append("\">\n")
            .Append("    <ul class=\"nav nav-tabs mb-3 tabs\">\n")
            .Append("        <li class=\"nav-item\"><a class=\"nav-link\" href=\"").Append(path).Append("\">").Append(L("Tab_Details")).Append("</a></li>\n")
            .Append("        <li class=\"nav-item\"><a class=\"nav-link active\" aria-current=\"page\" href=\"").Append(path).Append("?tab=cases\">").Append(L("Tab_Cases"))
            .Append(" <span class=\"badge text-bg-secondary\" data-testid=\"case-count\">").Append(E(count.ToString("N0", CultureInfo.CurrentCulture))).Append("</span></a></li>\n")
            .Append("        <li class=\"nav-item\"><a class=\"nav-link\" id=\"activities-tab\" href=\"").Append(path).Append("?tab=activities\">").Append(L("Nav_Activities")).Append("</a></li>\n")
            .Append("    </ul>\n")
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
            s.Append("            <div class=\"table-responsive\">\n")
                .Append("            <table class=\"table table-hover align-middle bg-body list\">\n")
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
                    .Append("                            <td class=\"text-nowrap\"><a href=\"/Cases/").Append(caseId).Append("\">").Append(CaseNumber.Format(row.Id)).Append("</a></td>\n")
                    .Append("                            <td>").Append(E(row.Title)).Append("</td>\n")
                    .Append("                            <td><span class=\"").Append(row.Status.IsActive() ? "badge text-bg-primary status status-active" : "badge text-bg-light border status status-closed").Append("\">")
                    .Append(L("CaseStatus_" + row.Status)).Append("</span></td>\n")
                    .Append("                            <td>").Append(E(row.Category)).Append("</td>\n")
                    .Append("                            <td>").Append(row.Priority is { } p ? L("CasePriority_" + p) : "").Append("</td>\n")
                    .Append("                            <td>").Append(E(row.Assignee)).Append("</td>\n")
                    .Append("                            <td class=\"text-nowrap\">").Append(E(me.ToLocal(row.CreatedAt).ToString("g", CultureInfo.CurrentCulture))).Append("</td>\n")
                    .Append("                        </tr>\n");
            }

            s.Append("                </tbody>\n")
                .Append("            </table>\n")
                .Append("            </div>\n")
                .Append("            ");
            var hasPrevious = page > 1;
            var hasNext = rows.Count > Paging.Size && page < Paging.MaxPage(Paging.Size);
            if (hasPrevious || hasNext)
            {
                s.Append("    <nav class=\"pager d-flex align-items-center gap-2 mt-2 text-body-secondary\" aria-label=\"").Append(L("Pager_Label")).Append("\">\n");
                if (hasPrevious)
                {
                    s.Append("            <a class=\"btn btn-sm btn-outline-secondary\" rel=\"prev\" href=\"").Append(E(PageLink(context.Request, path, page - 1))).Append("\">")
                        .Append(L("Pager_Previous")).Append("</a>\n");
                }

                s.Append("        <span>").Append(E(l["Pager_Page", page].Value)).Append("</span>\n");
                if (hasNext)
                {
                    s.Append("            <a class=\"btn btn-sm btn-outline-secondary\" rel=\"next\" href=\"").Append(E(PageLink(context.Request, path, page + 1))).Append("\">")
                        .Append(L("Pager_Next")).Append("</a>\n");
                }

                s.Append("    </nav>\n");
            }

            s.Append('\n');
        }

        s.Append("    </section>\n")
            .Append('\n')
            .Append("        </main>\n")
            .Append("    </div>\n")
            .Append("    <script src=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/lib/bootstrap/js/bootstrap.bundle.min.js"))).Append("\"></script>\n")
            .Append("    <script src=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/js/site.js"))).Append("\"></script>\n")
            .Append("    <script src=\"").Append(E(files.AddFileVersionToPath(context.Request.PathBase, "/js/mentions.js"))).Append("\"></script>\n")
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

    /// <summary>A side-menu entry of _Layout that is not the page's section (Contactos is written inline, active).</summary>
    private void MenuItem(StringBuilder s, string href, string icon, string key, string indent = "")
    {
        s.Append(indent).Append("                        <li class=\"nav-item\"><a class=\"nav-link\" href=\"").Append(href).Append("\"><i class=\"bi ").Append(icon)
            .Append("\" aria-hidden=\"true\"></i> ").Append(L(key)).Append("</a></li>\n");
    }

    private string L(string key) => html.Encode(l[key].Value);

    private string E(string? value) => value is null ? string.Empty : html.Encode(value);
}
