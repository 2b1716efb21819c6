using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// The pieces every list repeats, written as HTML content rather than partial views or tag helpers (as
/// <see cref="StatusBadge"/>): a list page has six sortable headers and up to six filter menus, and each partial costs a
/// view lookup, a view-data dictionary and a page activation, each select tag helper an HTML generator and a tag builder
/// per option (issue 21: the case list's cost per request, docs/performance.md).
/// </summary>
public static class ListHtml
{
    /// <summary>
    /// A sortable column's header cell: <c>aria-sort</c> on the sorted column only (as ARIA wants it, on the header cell),
    /// and a link that sorts by it (ascending first; the sorted column's link turns its direction).
    /// </summary>
    public static IHtmlContent SortHeader(HttpRequest request, string key, string label, SortOrder current)
    {
        var active = current.Key == key;
        var next = active && !current.Descending ? "desc" : "asc";
        return new SortHeaderCell(QueryLinks.With(request, ("sort", key), ("dir", next), ("page", null)), label, active ? current.Descending : null);
    }

    /// <summary>The options of a menu, the chosen one marked <c>selected</c>: the markup of the select tag helper.</summary>
    public static IHtmlContent Options(IEnumerable<SelectListItem> items) => new OptionList(items);

    private sealed class SortHeaderCell(string href, string label, bool? descending) : IHtmlContent
    {
        public void WriteTo(TextWriter writer, HtmlEncoder encoder)
        {
            writer.Write("<th scope=\"col\"");
            if (descending is { } down)
            {
                writer.Write(down ? " aria-sort=\"descending\"" : " aria-sort=\"ascending\"");
            }

            writer.Write("><a href=\"");
            encoder.Encode(writer, href);
            writer.Write("\">");
            encoder.Encode(writer, label);
            writer.Write(' ');
            if (descending is { } sorted)
            {
                writer.Write(sorted ? "<i class=\"bi bi-caret-down-fill sort-indicator\" aria-hidden=\"true\"></i>" : "<i class=\"bi bi-caret-up-fill sort-indicator\" aria-hidden=\"true\"></i>");
            }

            writer.Write("</a></th>");
        }
    }

    private sealed class OptionList(IEnumerable<SelectListItem> items) : IHtmlContent
    {
        public void WriteTo(TextWriter writer, HtmlEncoder encoder)
        {
            foreach (var item in items)
            {
                writer.Write(item.Selected ? "<option selected=\"selected\" value=\"" : "<option value=\"");
                encoder.Encode(writer, item.Value ?? string.Empty);
                writer.Write("\">");
                encoder.Encode(writer, item.Text ?? string.Empty);
                // One option a line, as the select tag helper writes them.
                writer.Write("</option>");
                writer.Write(Environment.NewLine);
            }
        }
    }
}
