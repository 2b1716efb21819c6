using System.Globalization;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Infrastructure;

/// <summary>How a list says how many rows match: "1 caso", "340 casos", "más de 1.000 casos" (numbers in the user's culture).</summary>
public static class ListCount
{
    /// <param name="noun">The resource family: <c>Cases</c>, <c>Contacts</c> or <c>Accounts</c> (<c>Count_{noun}</c>, <c>_One</c>, <c>_More</c>).</param>
    public static string Count(this IStringLocalizer localizer, int count, string noun) =>
        count > Paging.CountCap ? localizer[$"Count_{noun}_More", Paging.CountCap.ToString("N0", CultureInfo.CurrentCulture)]
        : count == 1 ? localizer[$"Count_{noun}_One"]
        : localizer[$"Count_{noun}", count.ToString("N0", CultureInfo.CurrentCulture)];
}
