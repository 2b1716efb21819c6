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
                context.Result = Problem(problems.CreateProblemDetails(context.HttpContext, StatusCodes.Status404NotFound, detail: $"{notFound.Entity} {notFound.Id.ToString(CultureInfo.InvariantCulture)}"));
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

    private static ObjectResult Problem(ProblemDetails details) => new(details)
    {
        StatusCode = details.Status,
        ContentTypes = { "application/problem+json" },
    };
}
