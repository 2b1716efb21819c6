using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using AngleSharp;
using AngleSharp.Dom;
using AngleSharp.Html.Dom;
using CaseCrm.Data;

namespace CaseCrm.IntegrationTests.Infrastructure;

/// <summary>
/// Pages and forms the way a browser uses them: GET a page, read its form (antiforgery token included), fill
/// fields and submit it with the same client, so that cookies and tokens travel as they do for a user.
/// <code>
/// var form = await client.GetFormAsync("/Contacts/Create");
/// var response = await form.Set("FirstName", "Ana").PostAsync();
/// Assert.Equal(HttpStatusCode.Redirect, response.StatusCode);
/// </code>
/// </summary>
public static class HtmlForms
{
    /// <summary>GETs <paramref name="url"/> and parses it; fails unless it answers 200.</summary>
    public static async Task<IHtmlDocument> GetDocumentAsync(this HttpClient client, string url)
    {
        using var response = await client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));
        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new InvalidOperationException(
                $"GET {url} answered {(int)response.StatusCode} {response.StatusCode}{(response.Headers.Location is { } to ? $" to {to}" : "")}.");
        }

        return await response.ReadHtmlAsync();
    }

    /// <summary>
    /// GETs <paramref name="url"/> and returns its form: the one matching the CSS <paramref name="selector"/>, or, without
    /// one, the only form in the page's <c>main</c> element (the layout's language and sign-out forms are outside it).
    /// </summary>
    public static async Task<HtmlForm> GetFormAsync(this HttpClient client, string url, string? selector = null) =>
        (await client.GetDocumentAsync(url)).GetForm(client, selector);

    /// <summary>The form of an already parsed page; see <see cref="GetFormAsync"/> for how it is chosen.</summary>
    public static HtmlForm GetForm(this IHtmlDocument document, HttpClient client, string? selector = null)
    {
        var forms = document.QuerySelectorAll(selector ?? "main form").OfType<IHtmlFormElement>().ToList();
        return forms.Count == 1
            ? new HtmlForm(client, forms[0])
            : throw new InvalidOperationException(
                $"{document.Url} has {forms.Count} forms matching '{selector ?? "main form"}'"
                + (forms.Count > 1 ? $" (actions: {string.Join(", ", forms.Select(f => f.GetAttribute("action")))}); pass a selector." : "."));
    }

    /// <summary>Parses the response's HTML, whatever its status (for instance a form re-rendered with errors).</summary>
    public static async Task<IHtmlDocument> ReadHtmlAsync(this HttpResponseMessage response)
    {
        var html = await response.Content.ReadAsStringAsync();
        var address = response.RequestMessage?.RequestUri?.ToString() ?? "http://localhost/";
        // Not disposed: disposing the context empties its documents.
        var context = BrowsingContext.New(Configuration.Default);
        return (IHtmlDocument)await context.OpenAsync(request => request.Content(html).Address(address));
    }

    /// <summary>GETs where a redirect points; fails when <paramref name="response"/> is not a redirect.</summary>
    public static async Task<HttpResponseMessage> FollowRedirectAsync(this HttpClient client, HttpResponseMessage response)
    {
        var status = (int)response.StatusCode;
        if (status is < 300 or > 399 || response.Headers.Location is null)
        {
            throw new InvalidOperationException($"Expected a redirect, got {status} {response.StatusCode}.");
        }

        return await client.GetAsync(response.Headers.Location);
    }

    /// <summary>Every validation message the page shows: the summary's and those beside fields (<c>.field-error</c>).</summary>
    public static IReadOnlyList<string> ValidationErrors(this IHtmlDocument document) =>
        document.QuerySelectorAll(".validation-summary-errors li, .field-validation-error, .field-error")
            .Select(e => e.TextContent.Trim())
            .Where(text => text.Length > 0)
            .Distinct()
            .ToList();

    /// <summary>
    /// The message shown beside <paramref name="field"/>, or null when it has none: the element <c>{field}-error</c>, the one
    /// <c>asp-validation-for</c> marks, or else the <c>.field-error</c> next to the control named <paramref name="field"/>.
    /// </summary>
    public static string? FieldError(this IHtmlDocument document, string field)
    {
        var control = document.QuerySelectorAll("[name]").FirstOrDefault(e => e.GetAttribute("name") == field);
        IEnumerable<IElement?> candidates =
        [
            document.GetElementById(field + "-error"),
            .. document.QuerySelectorAll("[data-valmsg-for]").Where(e => e.GetAttribute("data-valmsg-for") == field),
            control?.ParentElement?.QuerySelector(".field-error, .field-validation-error"),
        ];
        return candidates.Select(e => e?.TextContent.Trim()).FirstOrDefault(text => !string.IsNullOrEmpty(text));
    }

    /// <summary>
    /// POSTs <paramref name="values"/> to <paramref name="url"/> with a valid antiforgery token for this client's user, taken
    /// from <paramref name="tokenPage"/> (every page's layout has one): a request no page offers, as a forger would send it.
    /// </summary>
    public static async Task<HttpResponseMessage> PostWithTokenAsync(
        this HttpClient client, string url, IEnumerable<KeyValuePair<string, string>>? values = null, string tokenPage = "/Account/Login")
    {
        var page = await client.GetDocumentAsync(tokenPage);
        var token = page.QuerySelector($"input[name='{HtmlForm.AntiforgeryField}']")?.GetAttribute("value")
            ?? throw new InvalidOperationException($"{tokenPage} has no antiforgery token.");
        using var content = new FormUrlEncodedContent((values ?? []).Append(KeyValuePair.Create(HtmlForm.AntiforgeryField, token)));
        return await client.PostAsync(new Uri(url, UriKind.RelativeOrAbsolute), content);
    }

    /// <summary>Signs in through the real login form (GET, token, POST) and returns the POST's response, whatever it is.</summary>
    public static async Task<HttpResponseMessage> SignInAsync(this HttpClient client, string email, string password)
    {
        var form = await client.GetFormAsync("/Account/Login");
        return await form.Set("Email", email).Set("Password", password).PostAsync();
    }

    /// <summary>Signs in as the demo user of <paramref name="role"/> (see <c>Roles</c>); fails unless the app accepts it.</summary>
    public static async Task SignInAsAsync(this HttpClient client, string role)
    {
        var user = DbInitializer.DemoUsers.SingleOrDefault(u => u.Role == role)
            ?? throw new ArgumentException($"No demo user has the role '{role}'.", nameof(role));
        using var response = await client.SignInAsync(user.Email, user.Password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var errors = string.Join(" ", (await response.ReadHtmlAsync()).ValidationErrors());
            throw new InvalidOperationException($"Signing in as {user.Email} answered {(int)response.StatusCode}: {errors}");
        }
    }
}

/// <summary>
/// A form read from a page, with the values a browser would send (hidden fields and the antiforgery token
/// included). <see cref="Set"/> changes a field the page has; <see cref="Add"/> and <see cref="Remove"/> forge requests.
/// </summary>
public sealed class HtmlForm
{
    public const string AntiforgeryField = "__RequestVerificationToken";

    private readonly HttpClient _client;
    private readonly List<KeyValuePair<string, string>> _values = [];
    private readonly HashSet<string> _fieldNames = new(StringComparer.Ordinal);
    private readonly List<(string Name, string FileName, byte[] Content, string ContentType)> _files = [];
    private bool _withoutLength;

    public HtmlForm(HttpClient client, IHtmlFormElement element)
    {
        _client = client;
        Element = element;
        foreach (var control in element.Elements)
        {
            if (control.GetAttribute("name") is { Length: > 0 } name)
            {
                _fieldNames.Add(name);
                _values.AddRange(InitialValues(control).Select(value => KeyValuePair.Create(name, value)));
            }
        }
    }

    public IHtmlFormElement Element { get; }

    /// <summary>Where the form posts, resolved against the page's address.</summary>
    public Uri Action => ResolveAction(Element.GetAttribute("action"));

    /// <summary>"post" or "get".</summary>
    public string Method => string.IsNullOrEmpty(Element.GetAttribute("method")) ? "get" : Element.GetAttribute("method")!.ToLowerInvariant();

    public string? AntiforgeryToken => Get(AntiforgeryField);

    /// <summary>The values that would be sent now, in order; a name can repeat (check boxes, multiple selects).</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Values => _values;

    /// <summary>The first value of <paramref name="name"/>, or null when none would be sent.</summary>
    public string? Get(string name) => _values.FirstOrDefault(v => v.Key == name).Value;

    /// <summary>
    /// Replaces the value of a field the form has (text, hidden, select, text area; <c>true</c>/<c>false</c> for a check box).
    /// Values are written invariantly: enums by name, numbers with a dot. Fails for a name the form does not have.
    /// </summary>
    public HtmlForm Set(string name, object? value) => SetAll(name, [value]);

    /// <summary>Sends <paramref name="name"/> with each of <paramref name="values"/> (a multiple select, several check boxes).</summary>
    public HtmlForm SetAll(string name, IEnumerable<object?> values)
    {
        if (!_fieldNames.Contains(name))
        {
            throw new ArgumentException($"The form has no field '{name}'. Its fields: {string.Join(", ", _fieldNames)}.", nameof(name));
        }

        _values.RemoveAll(v => v.Key == name);
        _values.AddRange(values.Select(v => KeyValuePair.Create(name, Format(v))));
        return this;
    }

    /// <summary>Adds a value the page does not offer, as a forged request would.</summary>
    public HtmlForm Add(string name, object? value)
    {
        _values.Add(KeyValuePair.Create(name, Format(value)));
        return this;
    }

    /// <summary>Leaves <paramref name="name"/> out of the request (for instance <see cref="AntiforgeryField"/>).</summary>
    public HtmlForm Remove(string name)
    {
        _values.RemoveAll(v => v.Key == name);
        return this;
    }

    /// <summary>Attaches a file to a file input; the form is then sent as multipart/form-data.</summary>
    public HtmlForm AttachFile(string name, string fileName, byte[] content, string contentType = "application/octet-stream")
    {
        _files.Add((name, fileName, content, contentType));
        return this;
    }

    /// <summary>Sends the body without a Content-Length (chunked), as a client that streams it would.</summary>
    public HtmlForm WithoutDeclaredLength()
    {
        _withoutLength = true;
        return this;
    }

    /// <summary>Submits a POST form, as its submit button <paramref name="button"/> (by name) would when given.</summary>
    public Task<HttpResponseMessage> PostAsync(string? button = null, CancellationToken ct = default) =>
        Method == "post"
            ? SubmitAsync(button, ct)
            : throw new InvalidOperationException($"The form to {Action} uses GET; call SubmitAsync.");

    /// <summary>Submits the form with its own method: a GET form puts its values in the query string.</summary>
    public async Task<HttpResponseMessage> SubmitAsync(string? button = null, CancellationToken ct = default)
    {
        var values = new List<KeyValuePair<string, string>>(_values);
        var action = Action;
        if (button is not null)
        {
            var submitter = Element.Elements.FirstOrDefault(e =>
                    e.GetAttribute("name") == button && (e is IHtmlButtonElement || e.GetAttribute("type") == "submit"))
                ?? throw new ArgumentException($"The form has no submit button named '{button}'.", nameof(button));
            values.Add(KeyValuePair.Create(button, submitter.GetAttribute("value") ?? string.Empty));
            if (submitter.GetAttribute("formaction") is { Length: > 0 } formAction)
            {
                action = ResolveAction(formAction);
            }
        }

        if (Method == "get")
        {
            var query = string.Join("&", values.Select(v => $"{Uri.EscapeDataString(v.Key)}={Uri.EscapeDataString(v.Value)}"));
            return await _client.GetAsync(new UriBuilder(action) { Query = query }.Uri, ct);
        }

        using var content = _files.Count > 0 || Element.GetAttribute("enctype") == "multipart/form-data"
            ? (HttpContent)Multipart(values)
            : new FormUrlEncodedContent(values);
        using var sent = _withoutLength ? new UndeclaredLengthContent(content) : content;
        return await _client.PostAsync(action, sent, ct);
    }

    private MultipartFormDataContent Multipart(List<KeyValuePair<string, string>> values)
    {
        var content = new MultipartFormDataContent();
        foreach (var (name, value) in values)
        {
            content.Add(new StringContent(value), name);
        }

        foreach (var file in _files)
        {
            var part = new ByteArrayContent(file.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue(file.ContentType);
            content.Add(part, file.Name, file.FileName);
        }

        return content;
    }

    private Uri ResolveAction(string? action)
    {
        var page = new Uri(Element.Owner?.Url ?? "http://localhost/");
        return string.IsNullOrEmpty(action) ? page : new Uri(page, action);
    }

    /// <summary>What a browser sends for a control before anyone touches it (the HTML "form data set").</summary>
    private static string[] InitialValues(IElement control)
    {
        if (control.HasAttribute("disabled"))
        {
            return [];
        }

        return control switch
        {
            IHtmlInputElement { Type: "checkbox" or "radio" } input => input.IsChecked ? [input.Value] : [],
            IHtmlInputElement { Type: "submit" or "button" or "reset" or "image" or "file" } => [],
            IHtmlInputElement input => [input.Value],
            IHtmlTextAreaElement textArea => [textArea.Value],
            IHtmlSelectElement select => SelectedValues(select),
            _ => [],
        };
    }

    private static string[] SelectedValues(IHtmlSelectElement select)
    {
        var options = select.Options.Where(o => !o.IsDisabled).ToList();
        var selected = options.Where(o => o.IsSelected).Select(o => o.Value).ToArray();
        // A single select with nothing marked selected sends its first option.
        return selected.Length > 0 || select.IsMultiple || options.Count == 0 ? selected : [options[0].Value];
    }

    private static string Format(object? value) => value switch
    {
        null => string.Empty,
        bool b => b ? "true" : "false",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? string.Empty,
    };
}

/// <summary>Another content's bytes and headers, but no length: the request goes out chunked.</summary>
internal sealed class UndeclaredLengthContent : HttpContent
{
    private readonly HttpContent _inner;

    public UndeclaredLengthContent(HttpContent inner)
    {
        _inner = inner;
        Headers.ContentType = inner.Headers.ContentType;
    }

    protected override Task SerializeToStreamAsync(Stream stream, System.Net.TransportContext? context) => _inner.CopyToAsync(stream);

    protected override bool TryComputeLength(out long length)
    {
        length = 0;
        return false;
    }
}
