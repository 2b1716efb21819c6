using CaseCrm.Web.Infrastructure;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;

namespace CaseCrm.Web.Features.Home;

/// <summary>The start page ("Inicio") of each role, the language switch and the error pages.</summary>
public sealed class HomeController(HomeQueries queries, CurrentUser me) : Controller
{
    /// <summary>Supervisors and administrators see the team's queue; agents their own work.</summary>
    [HttpGet]
    public async Task<IActionResult> Index(CancellationToken ct) =>
        await me.CanManageCasesAsync()
            ? View("Supervisor", await queries.SupervisorAsync(ct))
            : View("Agent", await queries.AgentAsync(me.Id, ct));

    /// <summary>Remembers the chosen language in a cookie for a year and goes back to the page it was chosen on.</summary>
    [AllowAnonymous]
    [HttpPost]
    public IActionResult Language(string culture, string? returnUrl)
    {
        if (Infrastructure.WebServiceCollectionExtensions.Cultures.Any(c => c.Name == culture))
        {
            Response.Cookies.Append(
                CookieRequestCultureProvider.DefaultCookieName,
                CookieRequestCultureProvider.MakeCookieValue(new RequestCulture(culture)),
                new CookieOptions { Expires = DateTimeOffset.UtcNow.AddYears(1), IsEssential = true, HttpOnly = true, SameSite = SameSiteMode.Lax });
        }

        return LocalRedirect(Infrastructure.LocalUrls.LocalOrNull(Url, returnUrl) ?? Url.Content("~/"));
    }

    /// <summary>The error pages; any method, because a failed POST is re-executed here as a POST.</summary>
    [AllowAnonymous]
    [IgnoreAntiforgeryToken]
    [Route("/Error/{code:int}")]
    public IActionResult Error()
    {
        // No parameter: binding one would read the form of a re-executed POST, which may be the very thing that failed.
        var code = int.TryParse(RouteData.Values["code"]?.ToString(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var c) ? c : 500;
        var status = code is 400 or 403 or 404 or 405 or 413 or 429 ? code : 500;
        Response.StatusCode = status;
        return View("~/Features/Shared/Error.cshtml", status);
    }
}
