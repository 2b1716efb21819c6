using Microsoft.AspNetCore.Html;
using Microsoft.AspNetCore.Mvc.Rendering;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.AspNetCore.Razor.TagHelpers;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// One form field: label, control, hint and error, in Bootstrap's markup (Contoso University's FormBlock, as a tag helper):
/// <c>&lt;field asp-for="Form.Title" label="…" required autofocus /&gt;</c>. <c>type</c> is an input type, "textarea" or
/// "select" (with <c>asp-items</c> and <c>option-label</c>); any other attribute goes on the control.
/// The edit pages' view models carry the posted form as <c>Form</c> while the actions bind it without a prefix, so a
/// leading "Form." is left out of the field's name, id and ModelState key.
/// </summary>
[HtmlTargetElement("field", Attributes = "asp-for", TagStructure = TagStructure.WithoutEndTag)]
public sealed class FieldTagHelper(IHtmlGenerator generator) : TagHelper
{
    private const string FormPrefix = "Form.";

    [ViewContext]
    [HtmlAttributeNotBound]
    public ViewContext ViewContext { get; set; } = null!;

    [HtmlAttributeName("asp-for")]
    public ModelExpression For { get; set; } = null!;

    [HtmlAttributeName("asp-items")]
    public IEnumerable<SelectListItem>? Items { get; set; }

    public string Label { get; set; } = "";

    public string Type { get; set; } = "text";

    public string? Hint { get; set; }

    /// <summary>The select's empty first option, such as "(ninguna)".</summary>
    public string? OptionLabel { get; set; }

    public bool Required { get; set; }

    public int Rows { get; set; } = 3;

    /// <summary>Classes of the wrapper, such as a grid column.</summary>
    public string? FieldClass { get; set; }

    /// <summary>Overrides the control's id (two pickers of the same field on one page).</summary>
    public string? Id { get; set; }

    /// <summary>The posted name, when the page shows a value under another name (the case page's comment draft posts Body).</summary>
    public string? Name { get; set; }

    public override void Process(TagHelperContext context, TagHelperOutput output)
    {
        var name = Name ?? (For.Name.StartsWith(FormPrefix, StringComparison.Ordinal) ? For.Name[FormPrefix.Length..] : For.Name);
        var fullName = ViewContext.ViewData.TemplateInfo.GetFullHtmlFieldName(name);
        var id = Id ?? TagBuilder.CreateSanitizedId(fullName, "_");
        var invalid = ViewContext.ViewData.ModelState.TryGetValue(fullName, out var entry) && entry.Errors.Count > 0;
        var errorId = id + "-error";
        var describedBy = Hint is null ? errorId : $"{id}-hint {errorId}";

        var attributes = new Dictionary<string, object?>(StringComparer.OrdinalIgnoreCase)
        {
            ["id"] = id,
            ["class"] = (Type == "select" ? "form-select" : "form-control") + (invalid ? " is-invalid" : ""),
            ["aria-describedby"] = describedBy,
        };
        foreach (var attribute in output.Attributes)
        {
            attributes[attribute.Name] = attribute.Value is HtmlString html ? html.Value : attribute.Value?.ToString();
        }

        if (Required)
        {
            attributes["required"] = "required";
        }

        if (invalid)
        {
            attributes["aria-invalid"] = "true";
        }

        var control = Type switch
        {
            "select" => generator.GenerateSelect(ViewContext, For.ModelExplorer, OptionLabel, name, Items ?? [], allowMultiple: false, attributes),
            "textarea" => generator.GenerateTextArea(ViewContext, For.ModelExplorer, name, Rows, 0, attributes),
            "password" => generator.GeneratePassword(ViewContext, For.ModelExplorer, name, null, attributes),
            // Date inputs take the invariant forms HTML defines, never the culture's.
            _ => generator.GenerateTextBox(ViewContext, For.ModelExplorer, name, For.Model, Type switch
            {
                "datetime-local" => "{0:yyyy-MM-ddTHH:mm}",
                "date" => "{0:yyyy-MM-dd}",
                _ => null,
            }, WithType(attributes, Type)),
        };

        var label = new TagBuilder("label");
        label.AddCssClass("form-label");
        label.Attributes["for"] = id;
        label.InnerHtml.Append(Required ? Label + " *" : Label);

        // Without an error the generator writes nothing; the empty element keeps aria-describedby pointing somewhere.
        var error = generator.GenerateValidationMessage(ViewContext, For.ModelExplorer, name, null, "div", new { id = errorId, @class = "invalid-feedback" })
            ?? new TagBuilder("div") { Attributes = { ["id"] = errorId, ["class"] = "invalid-feedback" } };

        output.TagName = "div";
        output.TagMode = TagMode.StartTagAndEndTag;
        output.Attributes.Clear();
        output.Attributes.SetAttribute("class", string.IsNullOrEmpty(FieldClass) ? "mb-3" : "mb-3 " + FieldClass);
        output.Content.AppendHtml(label).AppendHtml(control);
        if (Hint is not null)
        {
            output.Content.AppendHtml($"<div class=\"form-text\" id=\"{id}-hint\">").Append(Hint).AppendHtml("</div>");
        }

        output.Content.AppendHtml(error);
    }

    private static Dictionary<string, object?> WithType(Dictionary<string, object?> attributes, string type)
    {
        attributes["type"] = type;
        return attributes;
    }
}
