namespace CaseCrm.Domain.Cases;

/// <summary>Fields a child case copies from its parent. The title is always included; the contact is always the parent's.</summary>
[Flags]
public enum InheritedFields
{
    None = 0,
    Title = 1,
    Account = 4,
    Category = 8,
    Priority = 16,
    Origin = 32,
    Description = 64,
    Mandatory = Title,
    Default = Title | Account | Category | Priority,

    /// <summary>What a child cannot do without: left blank, these are taken from the parent whatever the setting says.</summary>
    Required = Title | Category | Description,
}

/// <summary>What closing (resolving or cancelling) a parent does to its active children.</summary>
public enum ClosurePreference
{
    /// <summary>A parent with active children cannot be closed (the default).</summary>
    BlockWhileChildrenActive = 0,

    /// <summary>Closing a parent closes its active children with the same status and resolution.</summary>
    CloseChildren = 1,

    /// <summary>Parent and children close independently.</summary>
    Independent = 2,
}

/// <summary>The parent/child settings, a single row edited by administrators.</summary>
public class ParentChildSettings
{
    public const int SingletonId = 1;
    public const int DefaultMaxChildren = 100;

    public int Id { get; set; } = SingletonId;

    private InheritedFields _inheritedFields = InheritedFields.Default;

    public InheritedFields InheritedFields
    {
        get => _inheritedFields;
        set => _inheritedFields = value | InheritedFields.Mandatory;
    }

    public ClosurePreference ClosurePreference { get; set; } = ClosurePreference.BlockWhileChildrenActive;
    public int MaxChildren { get; set; } = DefaultMaxChildren;
    public bool LookupsIncludeChildren { get; set; }
    public int Version { get; set; }

    public bool Inherits(InheritedFields field) => (InheritedFields & field) == field;

    /// <summary>Fills the blank values among <paramref name="fields"/> in <paramref name="which"/> from <paramref name="parent"/>.</summary>
    public static CaseFields Inherit(CaseFields fields, Case parent, InheritedFields which)
    {
        bool Takes(InheritedFields field) => (which & field) == field;
        return new CaseFields(
            Takes(InheritedFields.Title) && string.IsNullOrWhiteSpace(fields.Title) ? parent.Title : fields.Title,
            Takes(InheritedFields.Account) ? fields.AccountId ?? parent.AccountId : fields.AccountId,
            Takes(InheritedFields.Category) && fields.CategoryId == 0 ? parent.CategoryId : fields.CategoryId,
            Takes(InheritedFields.Priority) ? fields.Priority ?? parent.Priority : fields.Priority,
            Takes(InheritedFields.Description) && string.IsNullOrWhiteSpace(fields.Description) ? parent.Description : fields.Description,
            fields.Resolution,
            Takes(InheritedFields.Origin) ? fields.Origin ?? parent.Origin : fields.Origin);
    }
}
