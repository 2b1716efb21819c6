using Microsoft.AspNetCore.Localization;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The API's language: the request's <c>Accept-Language</c> (Spanish or English, Spanish when it names neither), never
/// the pages' language cookie. Rule messages and field errors come out in it. Outside /api it decides nothing.
/// </summary>
public sealed class ApiCultureProvider : RequestCultureProvider
{
    private readonly AcceptLanguageHeaderRequestCultureProvider _header = new();

    public override async Task<ProviderCultureResult?> DetermineProviderCultureResult(HttpContext httpContext)
    {
        if (!ApiAuthentication.IsApi(httpContext))
        {
            return null;
        }

        var asked = await _header.DetermineProviderCultureResult(httpContext);
        var supported = asked?.UICultures.Select(c => c.Value ?? "").FirstOrDefault(tag =>
            Infrastructure.WebServiceCollectionExtensions.Cultures.Any(c => tag.Equals(c.Name, StringComparison.OrdinalIgnoreCase)
                || tag.StartsWith(c.Name + "-", StringComparison.OrdinalIgnoreCase)));
        var name = supported is null ? Infrastructure.WebServiceCollectionExtensions.Cultures[0].Name : supported[..2].ToLowerInvariant();
        return new ProviderCultureResult(name);
    }
}
