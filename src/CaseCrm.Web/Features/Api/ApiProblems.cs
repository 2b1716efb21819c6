using System.Globalization;
using CaseCrm.Data;
using CaseCrm.Domain.Cases;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;
using Microsoft.AspNetCore.Mvc.Infrastructure;

namespace CaseCrm.Web.Features.Api;

/// <summary>
/// The API's errors as <c>application/problem+json</c>: a missing record 404; a broken case rule 422 (409 for a stale
/// edit) with its stable <c>code</c> ("CASE-RULE-n") and its message in the request's Accept-Language (Spanish unless
/// English is asked for).
/// </summary>
public sealed class ApiProblemsAttribute : ExceptionFilterAttribute
{
    public override void OnException(ExceptionContext context)
    {
        var problems = context.HttpContext.RequestServices.GetRequiredService<ProblemDetailsFactory>();
        switch (context.Exception)
        {
            case NotFoundException notFound:
                context.Result = Problem(problems.CreateProblemDetails(context.HttpContext, StatusCodes.Status404NotFound, detail: NotFoundMessage(context.HttpContext, notFound)));
                context.ExceptionHandled = true;
                break;
            case CaseRuleException rule:
                var culture = CultureInfo.CurrentUICulture; // the request's Accept-Language (ApiCultureProvider)
                var status = rule.Code is CaseRuleCode.StaleEdit or CaseRuleCode.StaleActivityEdit ? StatusCodes.Status409Conflict : StatusCodes.Status422UnprocessableEntity;
                var details = problems.CreateProblemDetails(context.HttpContext, status, detail: rule.Violations[0].FormatMessage(culture));
                details.Extensions["code"] = rule.Violations[0].ErrorCode;
                details.Extensions["violations"] = rule.Violations.Select(v => new { code = v.ErrorCode, caseId = v.CaseId, message = v.FormatMessage(culture) }).ToList();
                context.Result = Problem(details);
                context.ExceptionHandled = true;
                break;
        }
    }

    /// <summary>"El caso 12 no existe." in the request's language; a kind of record without a text of its own is named generically.</summary>
    private static string NotFoundMessage(HttpContext context, NotFoundException notFound)
    {
        var l = context.RequestServices.GetRequiredService<Microsoft.Extensions.Localization.IStringLocalizer<SharedResource>>();
        var id = notFound.Id.ToString(CultureInfo.InvariantCulture);
        var specific = l["Api_NotFound_" + notFound.Entity, id];
        return specific.ResourceNotFound ? l["Api_NotFound", id] : specific;
    }

    private static ObjectResult Problem(ProblemDetails details) => new(details)
    {
        StatusCode = details.Status,
        ContentTypes = { "application/problem+json" },
    };
}
