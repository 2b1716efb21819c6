using System.Text.Encodings.Web;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.Mvc.ModelBinding.Binders;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Input that is never valid, refused or cleaned before it reaches an action.</summary>
internal static class RequestGuards
{
    /// <summary>
    /// Right-to-left and left-to-right overrides, embeddings, isolates and marks: in a title they reverse the text after
    /// it wherever the title sits inside other text (headings, page titles, dialogs, messages). A Spanish and English CRM
    /// has no use for them, and markup cannot isolate text in a &lt;title&gt; or a confirm dialog, so they are removed
    /// when a value is bound.
    /// </summary>
    public static bool IsBidiControl(char c) => c is (>= '\u202A' and <= '\u202E') or (>= '\u2066' and <= '\u2069') or '\u200E' or '\u200F' or '\u061C';

    public static string WithoutBidiControls(string value) =>
        value.AsSpan().IndexOfAny(BidiControls) < 0 ? value : string.Concat(value.Where(c => !IsBidiControl(c)));

    private static readonly System.Buffers.SearchValues<char> BidiControls =
        System.Buffers.SearchValues.Create("\u202A\u202B\u202C\u202D\u202E\u2066\u2067\u2068\u2069\u200E\u200F\u061C");

    /// <summary>
    /// Answers a request that reached a production app over plain HTTP with a readable page and a log line, instead of the
    /// empty 500 that the Secure antiforgery cookie would cause. The health check stays reachable for load balancers.
    /// </summary>
    public static IApplicationBuilder UseHttpsRequired(this IApplicationBuilder app)
    {
        var logged = 0;
        return app.Use(async (context, next) =>
        {
            if (context.Request.IsHttps || context.Request.Path.StartsWithSegments("/health", StringComparison.OrdinalIgnoreCase))
            {
                await next(context);
                return;
            }

            var logger = context.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CaseCrm.Security");
            if (Interlocked.Exchange(ref logged, 1) == 0)
            {
                logger.LogError(
                    "A request arrived over plain HTTP, and production pages need HTTPS (their cookies are Secure). Serve the app over HTTPS, or behind a TLS-terminating proxy list the proxy's address in ForwardedHeaders:KnownProxies (docs/security.md). Connection from {RemoteIp}.",
                    context.Connection.RemoteIpAddress);
            }
            else
            {
                logger.LogWarning("Request over plain HTTP refused: HTTPS or ForwardedHeaders:KnownProxies is not set up; from {RemoteIp}", context.Connection.RemoteIpAddress);
            }

            var l = context.RequestServices.GetRequiredService<IStringLocalizer<SharedResource>>();
            var html = HtmlEncoder.Default;
            var language = System.Globalization.CultureInfo.CurrentUICulture.TwoLetterISOLanguageName;
            context.Response.StatusCode = StatusCodes.Status400BadRequest;
            context.Response.ContentType = "text/html; charset=utf-8";
            await context.Response.WriteAsync(
                $"<!DOCTYPE html><html lang=\"{language}\"><head><meta charset=\"utf-8\"><title>{html.Encode(l["Https_Required_Title"])}</title></head>"
                + $"<body><main><h1>{html.Encode(l["Https_Required_Title"])}</h1><p>{html.Encode(l["Https_Required_Text"])}</p></main></body></html>");
        });
    }

    /// <summary>
    /// A HEAD request is answered as the GET of the same address would be, without the body: endpoint routing matches
    /// HEAD only where an action says so, and every page here is a GET.
    /// </summary>
    public static IApplicationBuilder UseHeadAsGet(this IApplicationBuilder app) =>
        app.Use(async (context, next) =>
        {
            if (!HttpMethods.IsHead(context.Request.Method))
            {
                await next(context);
                return;
            }

            var body = context.Response.Body;
            context.Request.Method = HttpMethods.Get;
            context.Response.Body = Stream.Null;
            try
            {
                await next(context);
            }
            finally
            {
                context.Request.Method = HttpMethods.Head;
                context.Response.Body = body;
            }
        });
}

/// <summary>
/// Refuses a form whose field names, values or file names hold a NUL character, whatever its encoding (url-encoded or
/// multipart): PostgreSQL refuses NUL in text (22021) and nothing else should store it. It runs after the antiforgery
/// check, which has read the form already, so a refused or anonymous request costs no extra reading of its files.
/// </summary>
internal sealed class NulFormFilter : IAsyncResourceFilter
{
    public async Task OnResourceExecutionAsync(ResourceExecutingContext context, ResourceExecutionDelegate next)
    {
        var http = context.HttpContext;
        var reExecuted = http.Features.Get<IStatusCodeReExecuteFeature>() is not null || http.Features.Get<IExceptionHandlerFeature>() is not null;
        if (!reExecuted && http.Request.HasFormContentType && HasNul(await http.Request.ReadFormAsync(http.RequestAborted)))
        {
            context.Result = new BadRequestResult();
            return;
        }

        await next();
    }

    private static bool HasNul(IFormCollection form) =>
        form.Any(f => f.Key.Contains('\0', StringComparison.Ordinal) || f.Value.Any(v => v is not null && v.Contains('\0', StringComparison.Ordinal)))
        || form.Files.Any(f => f.Name.Contains('\0', StringComparison.Ordinal) || f.FileName.Contains('\0', StringComparison.Ordinal)
            || f.ContentDisposition.Contains('\0', StringComparison.Ordinal));
}

/// <summary>Binds every string as MVC does, without bidirectional control characters (<see cref="RequestGuards.IsBidiControl"/>).</summary>
internal sealed class BidiFreeStringBinderProvider : IModelBinderProvider
{
    public IModelBinder? GetBinder(ModelBinderProviderContext context) =>
        context.Metadata.ModelType == typeof(string) && context.BindingInfo.BindingSource is null or { IsGreedy: false }
            ? new Binder(new SimpleTypeModelBinder(typeof(string), context.Services.GetRequiredService<ILoggerFactory>()))
            : null;

    private sealed class Binder(IModelBinder inner) : IModelBinder
    {
        public async Task BindModelAsync(ModelBindingContext bindingContext)
        {
            await inner.BindModelAsync(bindingContext);
            if (bindingContext.Result.IsModelSet && bindingContext.Result.Model is string value)
            {
                var clean = RequestGuards.WithoutBidiControls(value);
                if (!ReferenceEquals(clean, value))
                {
                    bindingContext.Result = ModelBindingResult.Success(clean);
                }
            }
        }
    }
}
