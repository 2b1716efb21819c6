using CaseCrm.Domain.Cases;
using FluentValidation.Results;
using Microsoft.AspNetCore.Mvc.ModelBinding;

namespace CaseCrm.Web.Infrastructure;

internal static class ModelStateExtensions
{
    /// <summary>Copies FluentValidation errors into ModelState so that each shows beside its field.</summary>
    public static void AddErrors(this ModelStateDictionary modelState, ValidationResult result, string? prefix = null)
    {
        foreach (var error in result.Errors)
        {
            var key = string.IsNullOrEmpty(prefix) ? error.PropertyName : $"{prefix}.{error.PropertyName}";
            modelState.AddModelError(key, error.ErrorMessage);
        }
    }

    /// <summary>Adds each broken rule's message to the form (field-less), in the current language.</summary>
    public static void AddRuleErrors(this ModelStateDictionary modelState, CaseRuleException exception, string key = "")
    {
        foreach (var violation in exception.Violations)
        {
            modelState.AddModelError(key, violation.Message);
        }
    }
}
