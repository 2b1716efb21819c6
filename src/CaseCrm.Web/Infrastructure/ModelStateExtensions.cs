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

    /// <summary>
    /// Adds each broken rule's message in the current language: beside the form field the rule is about (the case and
    /// resolve forms name their fields alike), or at the top of the form.
    /// </summary>
    public static void AddRuleErrors(this ModelStateDictionary modelState, CaseRuleException exception)
    {
        foreach (var violation in exception.Violations)
        {
            modelState.AddModelError(FieldOf(violation), violation.Message);
        }
    }

    private static string FieldOf(CaseRuleViolation violation) => violation.Code switch
    {
        CaseRuleCode.CategoryNotAvailable => "CategoryId",
        CaseRuleCode.AccountNotFound => "AccountId",
        CaseRuleCode.ResolutionRequired => "Resolution",
        CaseRuleCode.CreatedActiveOnly => "Status",
        CaseRuleCode.ActivityOwnerNotAvailable => "OwnerId",
        CaseRuleCode.RegardingNotFound => "RegardingId",
        CaseRuleCode.AppointmentNeedsTimes or CaseRuleCode.AppointmentEndsBeforeStart => "EndAt",
        CaseRuleCode.AttendeeNotAvailable => "AttendeeIds",
        CaseRuleCode.CallNeedsDirection => "Direction",
        CaseRuleCode.UnknownPlaceholder => "Body",
        CaseRuleCode.MailboxNotAvailable => "MailboxId",
        CaseRuleCode.NoRecipient => "To",
        CaseRuleCode.UnknownTimeZone => "TimeZoneId",
        // A calendar's ranges are refused beside their day: the violation names the day (1 = Monday) last.
        CaseRuleCode.InvalidRange or CaseRuleCode.OverlappingRanges => $"Days[{int.Parse(violation.Args[^1], System.Globalization.CultureInfo.InvariantCulture) - 1}]",
        CaseRuleCode.NoWorkingHours => "Days[0]",
        CaseRuleCode.HolidayOutsideYear or CaseRuleCode.DuplicateHoliday => "Lines",
        CaseRuleCode.TargetNotPositive => violation.Args[0] == "FirstResponseMinutes" ? "FirstResponse" : "Resolution",
        CaseRuleCode.PolicyExists => "Priority",
        CaseRuleCode.AtRiskPercentOutOfRange => "AtRiskPercent",
        _ => string.Empty,
    };
}
