using CaseCrm.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// Turns a missing record into the 404 page, wherever in an action it is found to be missing; a request the client
/// gave up on ends quietly (499), not as a server error.
/// </summary>
internal sealed class CrmExceptionFilter : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (context.Exception is NotFoundException)
        {
            context.Result = new NotFoundResult();
            context.ExceptionHandled = true;
        }
        else if (LoggingSetup.IsAborted(context.HttpContext, context.Exception))
        {
            // Nobody reads the answer: no error page either.
            if (context.HttpContext.Features.Get<Microsoft.AspNetCore.Diagnostics.IStatusCodePagesFeature>() is { } statusCodePages)
            {
                statusCodePages.Enabled = false;
            }

            context.Result = new StatusCodeResult(LoggingSetup.ClientClosedRequest);
            context.ExceptionHandled = true;
        }
    }
}
