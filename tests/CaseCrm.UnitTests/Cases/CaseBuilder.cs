using CaseCrm.Domain.Cases;

namespace CaseCrm.UnitTests.Cases;

/// <summary>Builds cases for tests: active by default, with the database id set the way EF would.</summary>
internal sealed class CaseBuilder
{
    public const string UserId = "agent-1";
    public const string OtherUserId = "supervisor-1";
    public static readonly DateTime Created = new(2025, 3, 14, 9, 30, 0, DateTimeKind.Utc);
    public static readonly DateTime Later = Created.AddHours(2);

    /// <summary>References that exist (category active, account found).</summary>
    public static readonly CaseReferences References = new(CategoryIsActive: true, AccountExists: true);

    /// <summary>The default parent/child settings.</summary>
    public static readonly ParentChildSettings Settings = new();

    private int _id = 1;
    private int _contactId = 10;
    private string _title = "Sin suministro eléctrico";
    private CaseStatus _status = CaseStatus.New;
    private string? _resolution;
    private Case? _parent;
    private int _childCount;

    public static CaseBuilder ACase(int id) => new CaseBuilder().WithId(id);

    /// <summary>An active case with the given id.</summary>
    public static Case Active(int id) => ACase(id).Build();

    public static CaseFields Fields(
        string title = "Sin suministro eléctrico",
        CasePriority? priority = CasePriority.Normal,
        string? resolution = null) =>
        new(title, AccountId: 5, CategoryId: 3, priority, "El cliente llama por un corte.", resolution, CaseOrigin.Phone);

    public CaseBuilder WithId(int id)
    {
        _id = id;
        return this;
    }

    public CaseBuilder WithContact(int contactId)
    {
        _contactId = contactId;
        return this;
    }

    public CaseBuilder WithTitle(string title)
    {
        _title = title;
        return this;
    }

    /// <summary>The status the case is created with; a resolved case gets a resolution unless one is given.</summary>
    public CaseBuilder WithStatus(CaseStatus status)
    {
        _status = status;
        if (status == CaseStatus.Resolved)
        {
            _resolution ??= "Se restableció el servicio.";
        }

        return this;
    }

    public CaseBuilder WithResolution(string? resolution)
    {
        _resolution = resolution;
        return this;
    }

    /// <summary>Makes the built case a child of <paramref name="parent"/>, as stored (whatever its status).</summary>
    public CaseBuilder ChildOf(Case parent)
    {
        _parent = parent;
        return this;
    }

    /// <summary>Gives the built case <paramref name="count"/> active children (ids from id × 1000 + 1).</summary>
    public CaseBuilder WithChildren(int count)
    {
        _childCount = count;
        return this;
    }

    public Case Build()
    {
        var item = new Case(_contactId, Fields(_title, resolution: _resolution), CaseStatus.New, References, UserId, Created);
        SetId(item, _id);
        Set(item, nameof(Case.Status), _status);
        Set(item, nameof(Case.ChildCount), _childCount);
        if (_parent is not null)
        {
            Set(item, nameof(Case.ParentId), _parent.Id);
            Set(_parent, nameof(Case.ChildCount), _parent.ChildCount + 1);
        }

        return item;
    }

    /// <summary>The database assigns ids; in unit tests only the builder plays that part.</summary>
    public static void SetId(Case item, int id) => Set(item, nameof(Case.Id), id);

    // The builder plays the database: it builds a case as stored, in any state, without running the transitions.
    private static void Set(Case item, string property, object? value) => typeof(Case).GetProperty(property)!.SetValue(item, value);
}
