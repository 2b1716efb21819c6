using System.Text.Encodings.Web;
using CaseCrm.Domain.Cases;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// A case status as the lists show it: <c>&lt;span class="status status-active|status-closed"&gt;name&lt;/span&gt;</c>.
/// Written as HTML content rather than a partial view because list rows render it 25 times per page, and a partial
/// costs a view lookup, a view-data dictionary and a page activation each time (docs/performance.md).
/// </summary>
public static class StatusBadge
{
    public static IHtmlContent Status(this IStringLocalizer localizer, CaseStatus status) =>
        new Badge(status.IsActive() ? "status status-active" : "status status-closed", localizer[$"CaseStatus_{status}"]);

    private sealed class Badge(string cssClass, string text) : IHtmlContent
    {
        public void WriteTo(TextWriter writer, HtmlEncoder encoder)
        {
            writer.Write("<span class=\"");
            writer.Write(cssClass);
            writer.Write("\">");
            encoder.Encode(writer, text);
            writer.Write("</span>");
        }
    }
}
