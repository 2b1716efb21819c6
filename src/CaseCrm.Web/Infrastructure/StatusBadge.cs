using System.Text.Encodings.Web;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.ServiceLevels;
using Microsoft.AspNetCore.Html;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// A case status as the lists show it: a Bootstrap badge (<c>status-active</c> or <c>status-closed</c>).
/// Written as HTML content rather than a partial view because list rows render it 25 times per page, and a partial
/// costs a view lookup, a view-data dictionary and a page activation each time (docs/performance.md).
/// </summary>
public static class StatusBadge
{
    public static IHtmlContent Status(this IStringLocalizer localizer, CaseStatus status) =>
        new Badge(status.IsActive() ? "badge text-bg-primary status status-active" : "badge text-bg-light border status status-closed", localizer[$"CaseStatus_{status}"]);

    /// <summary>The state of a service-level target: En plazo, En riesgo, Incumplido, Cumplido (nothing without a target).</summary>
    public static IHtmlContent ServiceLevel(this IStringLocalizer localizer, ServiceLevelState state) => state switch
    {
        ServiceLevelState.None => HtmlString.Empty,
        _ => new Badge(state switch
        {
            ServiceLevelState.OnTime => "badge text-bg-light border sla sla-ontime",
            ServiceLevelState.AtRisk => "badge text-bg-warning sla sla-atrisk",
            ServiceLevelState.Breached => "badge text-bg-danger sla sla-breached",
            _ => "badge text-bg-success sla sla-met",
        }, localizer[$"ServiceLevelState_{state}"]),
    };

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
