using CaseCrm.Domain;
using CaseCrm.Domain.Activities;
using CaseCrm.Web.Infrastructure;
using FluentValidation;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Activities;

/// <summary>
/// The activity form, for every type (only the fields of the chosen type are shown and kept). Times are wall-clock times
/// as a <c>datetime-local</c> input sends them, in the user's time zone (<see cref="CurrentUser.TimeZone"/>); stored in UTC.
/// </summary>
public sealed class ActivityForm
{
    public ActivityType Type { get; set; } = ActivityType.Task;
    public string? Subject { get; set; }
    public string? Description { get; set; }
    public ActivityPriority Priority { get; set; } = ActivityPriority.Normal;
    public string? OwnerId { get; set; }
    public RegardingType? RegardingType { get; set; }
    public int? RegardingId { get; set; }

    /// <summary>The type chosen beside the "Referente a" search box.</summary>
    public RegardingType? RegardingTypeSearch { get; set; }

    /// <summary>What the "Referente a" search box held when the form was sent (a search round trip without script).</summary>
    public string? RegardingSearch { get; set; }
    public DateTime? DueAt { get; set; }
    public DateTime? StartAt { get; set; }
    public DateTime? EndAt { get; set; }
    public string? Location { get; set; }
    public List<string> AttendeeIds { get; set; } = [];
    public CallDirection? Direction { get; set; }
    public string? Phone { get; set; }
    public int? DurationMinutes { get; set; }

    /// <summary>The version the edit started from (0 for a new activity).</summary>
    public int Version { get; set; }

    public ActivityFields ToFields(string defaultOwnerId, Func<DateTime, DateTime> toUtc) => new(
        Subject ?? string.Empty,
        Description,
        Priority,
        string.IsNullOrEmpty(OwnerId) ? defaultOwnerId : OwnerId,
        RegardingType is { } type && RegardingId is { } id ? new Regarding(type, id) : null,
        DueAt is { } due ? toUtc(due) : null,
        StartAt is { } start ? toUtc(start) : null,
        EndAt is { } end ? toUtc(end) : null,
        Location,
        AttendeeIds,
        Direction,
        Phone,
        DurationMinutes);

    public static ActivityForm From(Activity activity, Func<DateTime, DateTime> toLocal) => new()
    {
        Type = activity.Type,
        Subject = activity.Subject,
        Description = activity.Description,
        Priority = activity.Priority,
        OwnerId = activity.OwnerId,
        RegardingType = activity.Regarding?.Type,
        RegardingId = activity.Regarding?.Id,
        DueAt = activity.DueAt is { } due ? toLocal(due) : null,
        StartAt = activity.StartAt is { } start ? toLocal(start) : null,
        EndAt = activity.EndAt is { } end ? toLocal(end) : null,
        Location = activity.Location,
        AttendeeIds = [.. activity.Attendees.Select(a => a.UserId)],
        Direction = activity.Direction,
        Phone = activity.Phone,
        DurationMinutes = activity.DurationMinutes,
        Version = activity.Version,
    };
}

internal sealed class ActivityFormValidator : AbstractValidator<ActivityForm>
{
    public ActivityFormValidator(IStringLocalizer<SharedResource> l)
    {
        RuleFor(f => f.Type).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Priority).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.RegardingType).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.RegardingTypeSearch).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Direction).IsInEnum().WithMessage(_ => l["Validation_Choice"]);
        RuleFor(f => f.Subject).NotEmpty().WithMessage(_ => l["Activity_SubjectRequired"])
            .MaximumLength(Limits.ActivitySubject).WithMessage(_ => l["Validation_MaxLength", Limits.ActivitySubject]);
        RuleFor(f => f.Description).MaximumLength(Limits.ActivityDescription).WithMessage(_ => l["Validation_MaxLength", Limits.ActivityDescription]);
        RuleFor(f => f.Location).MaximumLength(Limits.ActivityLocation).WithMessage(_ => l["Validation_MaxLength", Limits.ActivityLocation]);
        RuleFor(f => f.Phone).MaximumLength(Limits.Phone).WithMessage(_ => l["Validation_MaxLength", Limits.Phone]);
        RuleFor(f => f.RegardingSearch).MaximumLength(Limits.SearchTerm * 4).WithMessage(_ => l["Validation_MaxLength", Limits.SearchTerm * 4]);
        RuleFor(f => f.DurationMinutes).InclusiveBetween(0, Limits.CallMinutesMax)
            .WithMessage(_ => l["Activity_DurationRange", Limits.CallMinutesMax]);
        RuleFor(f => f.AttendeeIds).Must(a => a.Count <= 50).WithMessage(_ => l["Activity_TooManyAttendees", 50]);
        RuleFor(f => f.RegardingId).NotNull().When(f => f.RegardingType is not null).WithMessage(_ => l["Activity_RegardingRequired"]);
    }
}
