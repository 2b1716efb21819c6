using CaseCrm.Data;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Filters;

namespace CaseCrm.Web.Infrastructure;

/// <summary>Turns a missing record into the 404 page, wherever in an action it is found to be missing.</summary>
internal sealed class CrmExceptionFilter : IExceptionFilter
{
    public void OnException(ExceptionContext context)
    {
        if (context.Exception is NotFoundException)
        {
            context.Result = new NotFoundResult();
            context.ExceptionHandled = true;
        }
    }
}
