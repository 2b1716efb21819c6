using System.Linq.Expressions;

namespace CaseCrm.Domain.Cases;

/// <summary>
/// A "vista guardada" of the case list: its filters and sort under a name. Personal to its owner unless shared with the
/// team, which only a supervisor may do; a shared view is seen by everyone and changed only by its owner or a supervisor.
/// The name is unique per owner, compared without case (<see cref="NormalizedName"/>).
/// </summary>
public class SavedView
{
    private SavedView()
    {
    }

    /// <param name="query">The case list's query string, already checked by the caller (and checked again when it is read).</param>
    public SavedView(string ownerId, string name, string query, bool isShared)
    {
        OwnerId = ownerId;
        Query = query;
        IsShared = isShared;
        Rename(name);
    }

    public int Id { get; private set; }

    public string OwnerId { get; private set; } = string.Empty;

    public string Name { get; private set; } = string.Empty;

    /// <summary>The name as the unique index compares it: trimmed, upper case (invariant).</summary>
    public string NormalizedName { get; private set; } = string.Empty;

    /// <summary>The filters and sort, as the case list's query string (for example <c>view=all&amp;priority=Urgent</c>).</summary>
    public string Query { get; private set; } = string.Empty;

    /// <summary>Seen by the whole team, not only by its owner.</summary>
    public bool IsShared { get; private set; }

    /// <summary>Whether the user of the second parameter sees the view: its owner, or everyone when it is shared.</summary>
    public static readonly Expression<Func<SavedView, string, bool>> IsVisibleTo = (v, userId) => v.OwnerId == userId || v.IsShared;

    /// <summary>Whether <paramref name="userId"/> may rename, share or delete it: its owner, or a supervisor when it is shared.</summary>
    public bool IsEditableBy(string userId, bool isSupervisor) => IsEditable(OwnerId, IsShared, userId, isSupervisor);

    /// <summary><see cref="IsEditableBy"/> for a view read as its owner and whether it is shared.</summary>
    public static bool IsEditable(string ownerId, bool isShared, string userId, bool isSupervisor) =>
        ownerId == userId || (isShared && isSupervisor);

    /// <summary>Sets the name, trimmed; its length and uniqueness are checked by the caller.</summary>
    public void Rename(string name)
    {
        Name = name.Trim();
        NormalizedName = Normalize(name);
    }

    public void Share(bool isShared) => IsShared = isShared;

    /// <summary>How names are compared for uniqueness.</summary>
    public static string Normalize(string name) => name.Trim().ToUpperInvariant();
}
