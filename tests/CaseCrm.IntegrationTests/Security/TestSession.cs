using System.Net;
using System.Net.Http.Headers;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.AspNetCore.Mvc.Testing;
using Microsoft.AspNetCore.Mvc.Testing.Handlers;

namespace CaseCrm.IntegrationTests.Security;

/// <summary>
/// One browser session against the in-memory app: its own cookie jar (readable and writable, so a test can replay or
/// swap cookies), no redirects followed, and the antiforgery token of its pages at hand.
/// </summary>
public sealed class TestSession : IDisposable
{
    public const string AuthCookie = "CaseCrm.Auth";
    public const string AntiforgeryCookie = "CaseCrm.Antiforgery";
    public const string CultureCookie = ".AspNetCore.Culture";

    private string? _token;

    public TestSession(WebApplicationFactory<Program> factory, Uri? baseAddress = null)
    {
        BaseAddress = baseAddress ?? new Uri("http://localhost/");
        Client = factory.CreateDefaultClient(BaseAddress, new CookieContainerHandler(Cookies));
    }

    public Uri BaseAddress { get; }

    public CookieContainer Cookies { get; } = new();

    /// <summary>The client; the <see cref="HtmlForms"/> helpers work on it as on any test client.</summary>
    public HttpClient Client { get; }

    /// <summary>The value of the cookie <paramref name="name"/> as the browser holds it now, or null.</summary>
    public string? Cookie(string name) => Cookies.GetCookies(BaseAddress)[name] is { Expired: false } c ? c.Value : null;

    /// <summary>Puts a cookie in the jar as if the server had set it (to replay or swap one).</summary>
    public void SetCookie(string name, string value)
    {
        Cookies.Add(BaseAddress, new Cookie(name, value, "/") { Secure = BaseAddress.Scheme == Uri.UriSchemeHttps });
        _token = null;
    }

    /// <summary>A request token of this session (from a page's form), read once and reused as a browser reuses one page's.</summary>
    public async Task<string> TokenAsync(string page = "/Account/Login")
    {
        if (_token is null)
        {
            var document = await Client.GetDocumentAsync(page);
            _token = document.QuerySelector($"input[name='{HtmlForm.AntiforgeryField}']")?.GetAttribute("value")
                ?? throw new InvalidOperationException($"{page} has no antiforgery token.");
        }

        return _token;
    }

    public Task<HttpResponseMessage> GetAsync(string url) => Client.GetAsync(new Uri(url, UriKind.RelativeOrAbsolute));

    /// <summary>A DELETE (the API's removals; the pages never use the verb).</summary>
    public Task<HttpResponseMessage> DeleteAsync(string url) => Client.DeleteAsync(new Uri(url, UriKind.RelativeOrAbsolute));

    /// <summary>
    /// POSTs <paramref name="values"/> with this session's token (<paramref name="withToken"/>), or with the given
    /// <paramref name="token"/> (another session's), or with none. <paramref name="file"/> sends multipart with one file.
    /// </summary>
    public async Task<HttpResponseMessage> PostAsync(
        string url,
        IEnumerable<KeyValuePair<string, string>>? values = null,
        bool withToken = true,
        string? token = null,
        (string Field, string Name, byte[] Content)? file = null)
    {
        var all = (values ?? []).ToList();
        token ??= withToken ? await TokenAsync() : null;
        if (token is not null)
        {
            all.Add(KeyValuePair.Create(HtmlForm.AntiforgeryField, token));
        }

        HttpContent content;
        if (file is { } f)
        {
            var multipart = new MultipartFormDataContent();
            foreach (var (name, value) in all)
            {
                multipart.Add(new StringContent(value), name);
            }

            // Written by hand: HttpClient refuses a file name with a quote, which a hostile client can still send.
            var part = new ByteArrayContent(f.Content);
            part.Headers.ContentType = new MediaTypeHeaderValue("text/plain");
            var quotedName = f.Name.Replace("\\", "\\\\", StringComparison.Ordinal).Replace("\"", "\\\"", StringComparison.Ordinal);
            part.Headers.TryAddWithoutValidation("Content-Disposition", $"form-data; name=\"{f.Field}\"; filename=\"{quotedName}\"");
            multipart.Add(part);
            content = multipart;
        }
        else
        {
            content = new FormUrlEncodedContent(all);
        }

        using (content)
        {
            return await Client.PostAsync(new Uri(url, UriKind.RelativeOrAbsolute), content);
        }
    }

    /// <summary>Signs in through the login form; fails unless the app accepts the credentials.</summary>
    public async Task SignInAsync(string email, string password)
    {
        using var response = await Client.SignInAsync(email, password);
        if (response.StatusCode != HttpStatusCode.Redirect)
        {
            var errors = string.Join(" ", (await response.ReadHtmlAsync()).ValidationErrors());
            throw new InvalidOperationException($"Signing in as {email} answered {(int)response.StatusCode}: {errors}");
        }

        // Tokens are bound to the user: the anonymous one no longer fits.
        _token = null;
    }

    /// <summary>Forgets the cached token (after the user of the session changed).</summary>
    public void ForgetToken() => _token = null;

    public void Dispose() => Client.Dispose();
}
