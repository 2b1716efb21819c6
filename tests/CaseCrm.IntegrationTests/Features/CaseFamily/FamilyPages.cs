using AngleSharp.Html.Dom;
using CaseCrm.IntegrationTests.Infrastructure;
using static CaseCrm.IntegrationTests.Features.FeatureKit;

namespace CaseCrm.IntegrationTests.Features.CaseFamily;

/// <summary>The parent/child pages' attempts, as a signed-in client makes them (FamilyRuleTests, and the API's tests that compare with them).</summary>
public static class FamilyPages
{
    /// <summary>"Agregar" of the search panel, forged for a case the panel would not offer; returns the page the refusal leads to.</summary>
    public static async Task<IHtmlDocument> AddExistingAsync(HttpClient client, int parentId, int childId)
    {
        using var response = await client.PostWithTokenAsync($"/Cases/{parentId}/Children/Add",
            Fields(("childId", childId)), $"/Cases/{parentId}?tab=relations");
        Assert.Equal($"/Cases/{parentId}?tab=relations&add=True", response.RedirectTarget());
        return await client.FollowAsync(response);
    }

    /// <summary>The no-JavaScript "Asociar casos secundarios" page: select <paramref name="ids"/>, choose the parent, "Establecer".</summary>
    public static async Task<IHtmlDocument> AssociateAsync(HttpClient client, int parentId, params int[] ids)
    {
        var form = await client.GetFormAsync("/Cases/Associate?" + string.Join("&", ids.Select(id => $"ids={id}")), "#associate-form");
        using var response = await form.Set("parentId", parentId).PostAsync();
        return await response.PageAsync();
    }
}
