using CaseCrm.Domain.Cases;
using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ViewFeatures;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Features.CaseWork;

/// <summary>
/// <c>[RequestSizeLimit]</c> and <c>[RequestFormLimits]</c> with the size taken from <see cref="AttachmentLimits"/>
/// rather than a constant: the body may be no larger than the limits allow, and the form (which the antiforgery check
/// reads first) stops reading there. A request that says it is larger (Content-Length) is answered before its body is
/// read: back to the case with a message beside the upload.
/// </summary>
[AttributeUsage(AttributeTargets.Method)]
public sealed class AttachmentRequestLimitsAttribute : Attribute, IFilterFactory, IOrderedFilter
{
    // Before the antiforgery check (1000), which is the first to read the form; as the framework's own attributes.
    public int Order => 900;

    public bool IsReusable => true;

    public IFilterMetadata CreateInstance(IServiceProvider serviceProvider) =>
        new Filter(
            serviceProvider.GetRequiredService<IOptions<AttachmentLimits>>(),
            serviceProvider.GetRequiredService<ITempDataDictionaryFactory>(),
            serviceProvider.GetRequiredService<IStringLocalizer<SharedResource>>());

    private sealed class Filter(IOptions<AttachmentLimits> limits, ITempDataDictionaryFactory tempData, IStringLocalizer<SharedResource> l)
        : IAsyncAuthorizationFilter, IOrderedFilter
    {
        public int Order => 900;

        public async Task OnAuthorizationAsync(AuthorizationFilterContext context)
        {
            var max = limits.Value.MaxRequestBytes;
            var request = context.HttpContext.Request;
            if (request.ContentLength > max)
            {
                Refuse(context, max);
                return;
            }

            var features = context.HttpContext.Features;
            if (features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } size)
            {
                size.MaxRequestBodySize = max;
            }

            if (features.Get<IFormFeature>()?.Form is null)
            {
                var options = new FormOptions { MultipartBodyLengthLimit = max };
                features.Set<IFormFeature>(new FormFeature(request, options));
            }

            // A body without a declared length (chunked) is read here, for a signed-in user, so that one over the limit gets
            // the same message rather than the framework's 413 or 400; the antiforgery check then reads the form read here.
            if (request.ContentLength is null && request.HasFormContentType && context.HttpContext.User.Identity?.IsAuthenticated == true)
            {
                try
                {
                    await request.ReadFormAsync(context.HttpContext.RequestAborted);
                }
                catch (Exception ex) when (ex is InvalidDataException or BadHttpRequestException)
                {
                    Refuse(context, max);
                }
            }
        }

        private void Refuse(AuthorizationFilterContext context, long max)
        {
            // Saved here: a filter that answers this early skips the filter that saves TempData after a result.
            var data = tempData.GetTempData(context.HttpContext);
            data["AttachmentError"] = l["Attachments_RequestTooLarge", AttachmentRules.FormatSize(max)].Value;
            data.Save();
            context.Result = new RedirectToActionResult("Details", "Cases", new { id = context.RouteData.Values["id"] }, "attachments");
        }
    }
}
