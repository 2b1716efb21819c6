using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.Routing;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Contacts;

/// <summary>
/// A contact's "Acciones" menu: <c>&lt;contact-actions contact-id="…" return-url="…" include-edit="…" label="…" /&gt;</c>.
/// Nested <c>&lt;details&gt;</c> menus that work without JavaScript, keyboard added by site.js (ADR 0015): [Editar], Casos → Agregar Caso / Ver casos, Registrar llamada, Nueva tarea.
/// The contact list renders one per row, so it is a tag helper writing its links from the application's base path
/// rather than a partial view with anchor tag helpers, which cost a view lookup per row and route generation per link
/// (docs/performance.md). The paths are the attribute routes of ContactsController and
/// CasesController; the HTTP tests follow every link.
/// </summary>
[HtmlTargetElement("contact-actions", TagStructure = TagStructure.WithoutEndTag)]
public sealed class ContactActionsTagHelper(IUrlHelperFactory urls, IStringLocalizer<SharedResource> l, HtmlEncoder html) : TagHelper
{
    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    public int ContactId { get; set; }

    /// <summary>Where "Agregar Caso" comes back to: the page that shows the menu.</summary>
    public string ReturnUrl { get; set; } = "";

    /// <summary>The contact's own page adds "Editar" and shows the menu as a button.</summary>
    public bool IncludeEdit { get; set; }

    public string Label { get; set; } = "";

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var contact = urls.GetUrlHelper(ViewContext).Content($"~/Contacts/{ContactId}");
        var actions = html.Encode(l["Contact_Actions"]);
        output.TagName = null;
        var menu = output.Content;
        menu.AppendHtml("<details class=\"menu contact-actions\">\n    <summary aria-haspopup=\"menu\" class=\"")
            .AppendHtml(IncludeEdit ? "btn btn-outline-secondary" : "btn btn-sm btn-light icon-button")
            .AppendHtml($"\" aria-label=\"{actions}\" title=\"{actions}\">")
            .Append(Label)
            .AppendHtml("</summary>\n    <div class=\"dropdown-menu shadow\" role=\"menu\">\n");
        if (IncludeEdit)
        {
            menu.AppendHtml($"        <a role=\"menuitem\" class=\"dropdown-item\" href=\"{html.Encode(contact + "/Edit")}\">").Append(l["Action_Edit"]).AppendHtml("</a>\n");
        }

        var back = UrlEncoder.Default.Encode(ReturnUrl);
        var create = $"{contact}/Cases/Create?returnUrl={back}";
        menu.AppendHtml("        <details class=\"submenu\">\n            <summary role=\"menuitem\" aria-haspopup=\"menu\" class=\"dropdown-item\">").Append(l["Contact_CasesMenu"])
            .AppendHtml("</summary>\n            <div class=\"submenu-panel\">\n")
            .AppendHtml($"                <a role=\"menuitem\" class=\"dropdown-item\" href=\"{html.Encode(create)}\">").Append(l["Case_Add"]).AppendHtml("</a>\n")
            .AppendHtml($"                <a role=\"menuitem\" class=\"dropdown-item\" href=\"{html.Encode(contact + "?tab=" + ContactsController.CasesTab)}\">").Append(l["Contact_ViewCases"])
            .AppendHtml("</a>\n            </div>\n        </details>\n");
        var activities = urls.GetUrlHelper(ViewContext).Content("~/Activities/Create");
        foreach (var (type, label) in new[] { ("Call", "Activity_LogCall"), ("Task", "Activity_NewTask") })
        {
            var href = $"{activities}?type={type}&regardingType=Contact&regardingId={ContactId}&returnUrl={back}";
            menu.AppendHtml($"        <a role=\"menuitem\" class=\"dropdown-item\" href=\"{html.Encode(href)}\">").Append(l[label]).AppendHtml("</a>\n");
        }

        menu.AppendHtml("    </div>\n</details>\n");
    }
}
