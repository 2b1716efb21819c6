using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Domain.Cases;
using CaseCrm.IntegrationTests.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Cases;

/// <summary>
/// Every operation of <see cref="CaseService"/> against a real database, on SQLite and on PostgreSQL. Each refusal
/// is checked to leave every case exactly as it was.
/// </summary>
public abstract class CaseServiceTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    private string UserId => Data.User.Id;

    // ---- Adding a case to a contact

    [Fact]
    public async Task AddToContact_LinksTheContactAndDefaultsTheAccountToTheContacts()
    {
        var created = await Database.NewCaseService().AddToContactAsync(
            Data.Contact.Id, Data.Fields(title: "  Sin luz en la oficina  ", priority: CasePriority.High), CaseStatus.New, UserId);

        var stored = await Database.FindCaseAsync(created.Id);
        Assert.Equal(Data.Contact.Id, stored.ContactId);
        Assert.Equal(Data.Account.Id, stored.AccountId);
        Assert.Equal("Sin luz en la oficina", stored.Title);
        Assert.Equal(CasePriority.High, stored.Priority);
        Assert.Equal(CaseStatus.New, stored.Status);
        Assert.Null(stored.ParentId);
        Assert.Equal(0, stored.ChildCount);
        Assert.Equal(UserId, stored.CreatedById);
        Assert.Equal(1, stored.Version);
    }

    [Fact]
    public async Task AddToContact_KeepsTheAccountTheAgentChose()
    {
        var other = await Data.AccountAsync();

        var created = await Database.NewCaseService().AddToContactAsync(
            Data.Contact.Id, Data.Fields(accountId: other.Id), CaseStatus.New, UserId);

        Assert.Equal(other.Id, (await Database.FindCaseAsync(created.Id)).AccountId);
    }

    [Fact]
    public async Task AddToContact_LeavesTheAccountEmptyForAContactWithoutOne()
    {
        var loner = await Data.ContactAsync(account: null);

        var created = await Database.NewCaseService().AddToContactAsync(loner.Id, Data.Fields(), CaseStatus.New, UserId);

        Assert.Null((await Database.FindCaseAsync(created.Id)).AccountId);
    }

    [Fact]
    public async Task AddToContact_RefusesAnInactiveCategory()
    {
        await Data.CaseAsync();
        var retired = await Data.CategoryAsync(isActive: false);

        var error = await RefusedAsync<CaseRuleException>(s =>
            s.AddToContactAsync(Data.Contact.Id, Data.Fields(categoryId: retired.Id), CaseStatus.New, UserId));

        Assert.Equal(CaseRuleCode.CategoryNotAvailable, Assert.Single(error.Violations).Code);
    }

    [Fact]
    public async Task AddToContact_RefusesAnAccountThatDoesNotExist()
    {
        await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s =>
            s.AddToContactAsync(Data.Contact.Id, Data.Fields(accountId: 999_999), CaseStatus.New, UserId));

        Assert.Equal(CaseRuleCode.AccountNotFound, Assert.Single(error.Violations).Code);
    }

    [Fact]
    public async Task AddToContact_ThrowsNotFoundForAnUnknownContact()
    {
        await Data.CaseAsync();

        var error = await RefusedAsync<NotFoundException>(s => s.AddToContactAsync(999_999, Data.Fields(), CaseStatus.New, UserId));

        Assert.Equal(("Contact", 999_999), (error.Entity, error.Id));
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Closed)]
    [InlineData(CaseStatus.Cancelled)]
    public async Task AddToContact_RefusesAClosedStatus_EvenWithAResolution(CaseStatus status)
    {
        var error = await RefusedAsync<CaseRuleException>(s =>
            s.AddToContactAsync(Data.Contact.Id, Data.Fields(resolution: "Resuelto."), status, UserId));

        Assert.Equal(CaseRuleCode.CreatedActiveOnly, error.Code);
    }

    [Fact]
    public async Task AddToContact_ATitleWhoseFoldedFormIsLonger_IsStoredWithASearchColumnThatFits()
    {
        // U+1D160 decomposes into three characters outside the BMP: 100 of them (200 UTF-16 units) fold to 600.
        var title = string.Concat(Enumerable.Repeat("\U0001D160", 100));
        Assert.Equal(Domain.Limits.CaseTitle, title.Length);

        var created = await Database.NewCaseService().AddToContactAsync(Data.Contact.Id, Data.Fields(title: title), CaseStatus.New, UserId);

        var stored = await Database.FindCaseAsync(created.Id);
        Assert.Equal(title, stored.Title);
        Assert.InRange(stored.SearchTitle.Length, 1, Domain.Limits.CaseTitle);
        Assert.False(char.IsHighSurrogate(stored.SearchTitle[^1]));
    }

    [Fact]
    public async Task AnAccountNameWhoseFoldedFormIsLonger_IsStoredWithASearchNameThatFits()
    {
        var name = string.Concat(Enumerable.Repeat("\U0001D160", Domain.Limits.AccountName / 2));
        var account = new Domain.Accounts.Account(new Domain.Accounts.AccountDetails(name, null, null, null, null, null), null, DateTime.UtcNow);

        var id = await Database.InDbAsync(async db =>
        {
            db.Accounts.Add(account);
            await db.SaveChangesAsync();
            return account.Id;
        });

        var stored = await Database.InDbAsync(db => db.Accounts.AsNoTracking().SingleAsync(a => a.Id == id));
        Assert.Equal(name, stored.Name);
        Assert.InRange(stored.SearchName.Length, 1, Domain.Limits.AccountName);
    }

    // ---- Creating a child case

    [Fact]
    public async Task CreateChild_StartsFromADraftWithTheDefaultInheritedFieldsAndAlwaysTakesTheParentsContact()
    {
        var otherAccount = await Data.AccountAsync();
        var otherContact = await Data.ContactAsync(otherAccount);
        var otherCategory = await Data.CategoryAsync();
        var parent = await Data.CaseAsync(otherContact, Data.Fields(
            title: "Alta de gas y luz", categoryId: otherCategory.Id, priority: CasePriority.High,
            description: "Descripción del principal", origin: CaseOrigin.Web));
        var service = Database.NewCaseService();

        var (prefill, contactId, refusals) = await Database.NewChildDraftAsync(parent.Id);
        Assert.Empty(refusals);
        Assert.Equal(otherContact.Id, contactId);
        Assert.Equal(("Alta de gas y luz", otherAccount.Id, otherCategory.Id, (CasePriority?)CasePriority.High, "", (CaseOrigin?)null),
            (prefill.Title, prefill.AccountId, prefill.CategoryId, prefill.Priority, prefill.Description, prefill.Origin));

        var created = await service.CreateChildAsync(parent.Id, prefill with { Description = "Conexión de gas" }, CaseStatus.New, UserId);

        var child = await Database.FindCaseAsync(created.Id);
        Assert.Equal(parent.Id, child.ParentId);
        Assert.Equal(otherContact.Id, child.ContactId);
        Assert.Equal("Alta de gas y luz", child.Title);
        Assert.Equal(otherAccount.Id, child.AccountId);
        Assert.Equal(otherCategory.Id, child.CategoryId);
        Assert.Equal(CasePriority.High, child.Priority);
        Assert.Equal("Conexión de gas", child.Description);
        Assert.Null(child.Origin);
        var storedParent = await Database.FindCaseAsync(parent.Id);
        Assert.Equal(1, storedParent.ChildCount);
        Assert.Equal(parent.Version + 1, storedParent.Version);
    }

    [Fact]
    public async Task CreateChild_KeepsTheValuesTheAgentEntered()
    {
        var parent = await Data.CaseAsync(fields: Data.Fields(priority: CasePriority.High));
        var otherAccount = await Data.AccountAsync();
        var otherCategory = await Data.CategoryAsync();

        var created = await Database.NewCaseService().CreateChildAsync(
            parent.Id, Data.Fields(title: "Propio", categoryId: otherCategory.Id, accountId: otherAccount.Id, priority: CasePriority.Low),
            CaseStatus.InProgress, UserId);

        var child = await Database.FindCaseAsync(created.Id);
        Assert.Equal(("Propio", otherCategory.Id, otherAccount.Id, CasePriority.Low, CaseStatus.InProgress),
            (child.Title, child.CategoryId, child.AccountId, child.Priority, child.Status));
        Assert.Equal(parent.ContactId, child.ContactId);
    }

    [Fact]
    public async Task CreateChild_InheritsOnlyTheFieldsTheSettingsName()
    {
        await Data.SettingsAsync(s => s.InheritedFields = InheritedFields.Origin | InheritedFields.Description);
        var parent = await Data.CaseAsync(fields: Data.Fields(
            title: "Principal", priority: CasePriority.Urgent, description: "Texto del principal", origin: CaseOrigin.Chat));
        var ownCategory = await Data.CategoryAsync();

        var service = Database.NewCaseService();
        var (prefill, _, _) = await Database.NewChildDraftAsync(parent.Id);

        var created = await service.CreateChildAsync(parent.Id, prefill with { CategoryId = ownCategory.Id }, CaseStatus.New, UserId);

        var child = await Database.FindCaseAsync(created.Id);
        Assert.Equal("Principal", child.Title); // Title and Contact cannot be left out of the setting.
        Assert.Equal(parent.ContactId, child.ContactId);
        Assert.Equal("Texto del principal", child.Description);
        Assert.Equal(CaseOrigin.Chat, child.Origin);
        Assert.Null(child.AccountId);
        Assert.Null(child.Priority);
        Assert.Equal(ownCategory.Id, child.CategoryId);
    }

    [Fact]
    public async Task CreateChild_KeepsAnOptionalFieldTheAgentClearedAndFillsBlankRequiredOnesFromTheParent()
    {
        var parent = await Data.CaseAsync(fields: Data.Fields(title: "Principal", priority: CasePriority.Urgent, origin: CaseOrigin.Chat, description: "Texto"));

        var created = await Database.NewCaseService().CreateChildAsync(
            parent.Id, new CaseFields(" ", null, 0, null, "", null, null), CaseStatus.New, UserId);

        var child = await Database.FindCaseAsync(created.Id);
        Assert.Equal(("Principal", parent.CategoryId, "Texto"), (child.Title, child.CategoryId, child.Description));
        Assert.Null(child.Priority);
        Assert.Null(child.Origin);
    }

    [Fact]
    public async Task CreateChild_RefusesAParentThatIsAChild()
    {
        var (parent, children) = await Data.FamilyAsync(1);

        var error = await RefusedAsync<CaseRuleException>(s => s.CreateChildAsync(children[0].Id, Data.Fields(), CaseStatus.New, UserId));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(CaseRuleCode.ChildCannotHaveChildren, violation.Code);
        Assert.Equal(children[0].Id, violation.CaseId);
        Assert.Equal([children[0].Number, parent.Number], violation.Args);
    }

    [Fact]
    public async Task CreateChild_RefusesAClosedParent()
    {
        var parent = await Data.CaseAsync(status: CaseStatus.Resolved);

        var error = await RefusedAsync<CaseRuleException>(s => s.CreateChildAsync(parent.Id, Data.Fields(), CaseStatus.New, UserId));

        Assert.Equal((CaseRuleCode.NotActive, parent.Id), (Assert.Single(error.Violations).Code, error.Violations[0].CaseId));
    }

    [Fact]
    public async Task CreateChild_RefusesAParentWithTheMaximumOfChildren()
    {
        await Data.SettingsAsync(s => s.MaxChildren = 2);
        var (parent, _) = await Data.FamilyAsync(2);

        var error = await RefusedAsync<CaseRuleException>(s => s.CreateChildAsync(parent.Id, Data.Fields(), CaseStatus.New, UserId));

        var violation = Assert.Single(error.Violations);
        Assert.Equal(CaseRuleCode.TooManyChildren, violation.Code);
        Assert.Equal(["2", parent.Number, "2", "1"], violation.Args);
    }

    [Fact]
    public async Task CreateChild_ThrowsNotFoundForAnUnknownParent()
    {
        var error = await RefusedAsync<NotFoundException>(s => s.CreateChildAsync(999_999, Data.Fields(), CaseStatus.New, UserId));

        Assert.Equal(("Case", 999_999), (error.Entity, error.Id));
    }

    // ---- Adding existing cases as children

    [Fact]
    public async Task AddChildren_MakesEveryCaseAChildAndCountsThem()
    {
        var parent = await Data.CaseAsync();
        var children = await Data.CasesAsync(3);

        await Database.NewCaseService().AddChildrenAsync(parent.Id, children.Select(c => c.Id).ToList(), UserId);

        var storedParent = await Database.FindCaseAsync(parent.Id);
        Assert.Equal(3, storedParent.ChildCount);
        Assert.Null(storedParent.ParentId);
        Assert.True(storedParent.Version > parent.Version, "The parent's version must rise.");
        foreach (var child in children)
        {
            var stored = await Database.FindCaseAsync(child.Id);
            Assert.Equal(parent.Id, stored.ParentId);
            Assert.Equal(child.Version + 1, stored.Version);
        }
    }

    [Fact]
    public async Task AddChildren_AddsToAParentThatAlreadyHasChildren()
    {
        var (parent, _) = await Data.FamilyAsync(1);
        var more = await Data.CasesAsync(2);

        await Database.NewCaseService().AddChildrenAsync(parent.Id, more.Select(c => c.Id).ToList(), UserId);

        Assert.Equal(3, (await Database.FindCaseAsync(parent.Id)).ChildCount);
        Assert.Equal(3, (await Database.CaseRowsAsync()).Count(c => c.ParentId == parent.Id));
    }

    [Fact]
    public async Task AddChildren_WhenOneOfThreeBreaksARule_ChangesNoneAndNamesIt()
    {
        var parent = await Data.CaseAsync();
        var (otherParent, otherChildren) = await Data.FamilyAsync(1);
        var fine = await Data.CasesAsync(2);
        var taken = otherChildren[0];

        var error = await RefusedAsync<CaseRuleException>(s => s.AddChildrenAsync(parent.Id, [fine[0].Id, fine[1].Id, taken.Id], UserId));

        var violation = Assert.Single(error.Violations);
        Assert.Equal((CaseRuleCode.AlreadyChild, taken.Id), (violation.Code, violation.CaseId));
        Assert.Equal([taken.Number, otherParent.Number], violation.Args);
    }

    [Fact]
    public async Task AddChildren_ListsEveryViolationAtOnce()
    {
        var parent = await Data.CaseAsync();
        var (otherParent, otherChildren) = await Data.FamilyAsync(1);
        var closed = await Data.CaseAsync(status: CaseStatus.Resolved);
        var fine = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s =>
            s.AddChildrenAsync(parent.Id, [fine.Id, otherParent.Id, otherChildren[0].Id, closed.Id, parent.Id], UserId));

        Assert.Equal(
            new[]
            {
                (CaseRuleCode.ParentCannotBeChild, otherParent.Id),
                (CaseRuleCode.AlreadyChild, otherChildren[0].Id),
                (CaseRuleCode.NotActive, closed.Id),
                (CaseRuleCode.SelfParent, parent.Id),
            }.Order(),
            error.Violations.Select(v => (v.Code, v.CaseId ?? 0)).Order());
        foreach (var number in new[] { otherParent.Number, otherChildren[0].Number, closed.Number, parent.Number })
        {
            Assert.Contains(number, error.Message, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task AddChildren_RefusesAParentThatIsAChild()
    {
        var (_, children) = await Data.FamilyAsync(1);
        var other = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.AddChildrenAsync(children[0].Id, [other.Id], UserId));

        Assert.Equal((CaseRuleCode.ChildCannotHaveChildren, children[0].Id), (Assert.Single(error.Violations).Code, error.Violations[0].CaseId));
    }

    [Fact]
    public async Task AddChildren_RefusesAClosedParent()
    {
        var parent = await Data.CaseAsync(status: CaseStatus.Resolved);
        var other = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.AddChildrenAsync(parent.Id, [other.Id], UserId));

        Assert.Equal((CaseRuleCode.NotActive, parent.Id), (Assert.Single(error.Violations).Code, error.Violations[0].CaseId));
    }

    [Fact]
    public async Task AddChildren_RefusesMoreChildrenThanTheMaximum()
    {
        await Data.SettingsAsync(s => s.MaxChildren = 3);
        var (parent, _) = await Data.FamilyAsync(2);
        var more = await Data.CasesAsync(2);

        var error = await RefusedAsync<CaseRuleException>(s => s.AddChildrenAsync(parent.Id, more.Select(c => c.Id).ToList(), UserId));

        var violation = Assert.Single(error.Violations);
        Assert.Equal((CaseRuleCode.TooManyChildren, parent.Id), (violation.Code, violation.CaseId));
        Assert.Equal(["3", parent.Number, "2", "2"], violation.Args);
    }

    [Fact]
    public async Task AddChildren_ThrowsNotFoundForAnUnknownCaseAndChangesNothing()
    {
        var parent = await Data.CaseAsync();
        var other = await Data.CaseAsync();

        var error = await RefusedAsync<NotFoundException>(s => s.AddChildrenAsync(parent.Id, [other.Id, 999_999], UserId));

        Assert.Equal(999_999, error.Id);
    }

    // ---- Associating selected cases (case list)

    [Fact]
    public async Task Associate_MakesTheChosenCaseTheParentOfTheOthersSelected()
    {
        var selected = await Data.CasesAsync(3);

        await Database.NewCaseService().AssociateAsync(selected[1].Id, selected.Select(c => c.Id).ToList(), UserId);

        var rows = (await Database.CaseRowsAsync()).ToDictionary(c => c.Id);
        Assert.Equal(2, rows[selected[1].Id].ChildCount);
        Assert.Null(rows[selected[1].Id].ParentId);
        Assert.Equal(selected[1].Id, rows[selected[0].Id].ParentId);
        Assert.Equal(selected[1].Id, rows[selected[2].Id].ParentId);
    }

    [Fact]
    public async Task Associate_RefusesASelectionOfOnlyTheParent()
    {
        var only = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.AssociateAsync(only.Id, [only.Id], UserId));

        Assert.Equal(CaseRuleCode.NothingToAssociate, error.Code);
    }

    [Fact]
    public async Task Associate_RefusesToMakeAGrandchildEitherWay()
    {
        var (parent, children) = await Data.FamilyAsync(1);
        var other = await Data.CaseAsync();

        var underChild = await RefusedAsync<CaseRuleException>(s => s.AssociateAsync(children[0].Id, [children[0].Id, other.Id], UserId));
        var parentUnder = await RefusedAsync<CaseRuleException>(s => s.AssociateAsync(other.Id, [other.Id, parent.Id], UserId));

        Assert.Equal(CaseRuleCode.ChildCannotHaveChildren, Assert.Single(underChild.Violations).Code);
        Assert.Equal((CaseRuleCode.ParentCannotBeChild, parent.Id), (Assert.Single(parentUnder.Violations).Code, parentUnder.Violations[0].CaseId));
    }

    // ---- Removing a child

    [Fact]
    public async Task RemoveChild_DetachesTheChildAndLowersTheCount()
    {
        var (parent, children) = await Data.FamilyAsync(2);

        await Database.NewCaseService().RemoveChildAsync(parent.Id, children[0].Id, UserId);

        var storedParent = await Database.FindCaseAsync(parent.Id);
        var removed = await Database.FindCaseAsync(children[0].Id);
        Assert.Equal(1, storedParent.ChildCount);
        Assert.Equal(parent.Version + 1, storedParent.Version);
        Assert.Null(removed.ParentId);
        Assert.Equal(children[0].Version + 1, removed.Version);
        Assert.Equal(parent.Id, (await Database.FindCaseAsync(children[1].Id)).ParentId);
    }

    [Fact]
    public async Task RemoveChild_ThenTheCaseCanGetAnotherParent()
    {
        var (parent, children) = await Data.FamilyAsync(1);
        var newParent = await Data.CaseAsync();
        var service = Database.NewCaseService();

        await service.RemoveChildAsync(parent.Id, children[0].Id, UserId);
        await service.AddChildrenAsync(newParent.Id, [children[0].Id], UserId);

        Assert.Equal(newParent.Id, (await Database.FindCaseAsync(children[0].Id)).ParentId);
        Assert.Equal(0, (await Database.FindCaseAsync(parent.Id)).ChildCount);
        Assert.Equal(1, (await Database.FindCaseAsync(newParent.Id)).ChildCount);
    }

    [Fact]
    public async Task RemoveChild_RefusesACaseThatIsNotItsChild()
    {
        var (parent, _) = await Data.FamilyAsync(1);
        var stranger = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.RemoveChildAsync(parent.Id, stranger.Id, UserId));

        var violation = Assert.Single(error.Violations);
        Assert.Equal((CaseRuleCode.NotChildOfParent, stranger.Id), (violation.Code, violation.CaseId));
        Assert.Equal([stranger.Number, parent.Number], violation.Args);
    }

    // ---- Editing

    [Fact]
    public async Task Update_SavesTheFieldsAndRaisesTheVersion()
    {
        var item = await Data.CaseAsync();
        var category = await Data.CategoryAsync();

        await Database.NewCaseService().UpdateAsync(item.Id, item.Version,
            Data.Fields(title: "Nuevo título", categoryId: category.Id, priority: CasePriority.Urgent, origin: CaseOrigin.Email),
            CaseStatus.OnHold, UserId);

        var stored = await Database.FindCaseAsync(item.Id);
        Assert.Equal(("Nuevo título", category.Id, CasePriority.Urgent, CaseOrigin.Email, CaseStatus.OnHold, item.Version + 1),
            (stored.Title, stored.CategoryId, stored.Priority, stored.Origin, stored.Status, stored.Version));
    }

    [Fact]
    public async Task Update_WithAStaleVersion_RefusesStaleEditAndKeepsTheOtherSave()
    {
        var item = await Data.CaseAsync();
        await Database.NewCaseService().UpdateAsync(item.Id, item.Version, Data.Fields(title: "Guardado primero"), CaseStatus.InProgress, UserId);

        var error = await RefusedAsync<CaseRuleException>(s =>
            s.UpdateAsync(item.Id, item.Version, Data.Fields(title: "Guardado después"), CaseStatus.New, UserId));

        var violation = Assert.Single(error.Violations);
        Assert.Equal((CaseRuleCode.StaleEdit, item.Id), (violation.Code, violation.CaseId));
        var stored = await Database.FindCaseAsync(item.Id);
        Assert.Equal(("Guardado primero", CaseStatus.InProgress), (stored.Title, stored.Status));
    }

    [Fact]
    public async Task Update_KeepsACategoryRetiredAfterFilingButRefusesChoosingARetiredOne()
    {
        var retiring = await Data.CategoryAsync();
        var item = await Data.CaseAsync(fields: Data.Fields(categoryId: retiring.Id));
        var retired = await Data.CategoryAsync(isActive: false);
        await using (var db = Database.NewContext())
        {
            (await db.Categories.FindAsync(retiring.Id))!.IsActive = false;
            await db.SaveChangesAsync();
        }

        await Database.NewCaseService().UpdateAsync(item.Id, item.Version, Data.Fields(title: "Sigue", categoryId: retiring.Id), CaseStatus.New, UserId);
        var error = await RefusedAsync<CaseRuleException>(s =>
            s.UpdateAsync(item.Id, item.Version + 1, Data.Fields(categoryId: retired.Id), CaseStatus.New, UserId));

        Assert.Equal(CaseRuleCode.CategoryNotAvailable, error.Code);
        Assert.Equal("Sigue", (await Database.FindCaseAsync(item.Id)).Title);
    }

    [Fact]
    public async Task Update_CannotCloseACase()
    {
        var item = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s =>
            s.UpdateAsync(item.Id, item.Version, Data.Fields(resolution: "Hecho"), CaseStatus.Resolved, UserId));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, error.Code);
    }

    [Fact]
    public async Task Update_ThrowsNotFoundForAnUnknownCase()
    {
        await RefusedAsync<NotFoundException>(s => s.UpdateAsync(999_999, 1, Data.Fields(), CaseStatus.New, UserId));
    }

    // ---- Resolving, cancelling, reopening

    [Fact]
    public async Task Resolve_ClosesACaseWithItsResolution()
    {
        var item = await Data.CaseAsync();

        var closedWithIt = await Database.NewCaseService().ResolveAsync(item.Id, "  Se cambió el contador.  ", UserId);

        Assert.Empty(closedWithIt);
        var stored = await Database.FindCaseAsync(item.Id);
        Assert.Equal((CaseStatus.Resolved, "Se cambió el contador."), (stored.Status, stored.Resolution));
    }

    [Fact]
    public async Task Resolve_RefusesAnEmptyResolution()
    {
        var item = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.ResolveAsync(item.Id, "   ", UserId));

        Assert.Equal(CaseRuleCode.ResolutionRequired, error.Code);
    }

    [Fact]
    public async Task Resolve_RefusesACaseThatIsAlreadyClosed()
    {
        var item = await Data.CaseAsync(status: CaseStatus.Resolved);

        var error = await RefusedAsync<CaseRuleException>(s => s.CancelAsync(item.Id, UserId));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, error.Code);
    }

    [Theory]
    [InlineData(CaseStatus.Resolved)]
    [InlineData(CaseStatus.Cancelled)]
    public async Task Close_ByDefault_RefusesAParentWithActiveChildrenNamingThem(CaseStatus closing)
    {
        var (parent, children) = await Data.FamilyAsync(3);
        await Database.NewCaseService().ResolveAsync(children[1].Id, "Ya resuelto", UserId);

        var error = await RefusedAsync<CaseRuleException>(s => Close(s, parent.Id, closing));

        var violation = Assert.Single(error.Violations);
        Assert.Equal((CaseRuleCode.ParentHasActiveChildren, parent.Id), (violation.Code, violation.CaseId));
        Assert.Equal(["2", $"{children[0].Number}, {children[2].Number}"], violation.Args);
        Assert.Equal([children[0].Id, children[2].Id], await Database.InDbAsync(db => db.Cases.Where(c => c.ParentId == parent.Id).Where(CaseStatuses.IsActiveCase).OrderBy(c => c.Id).Select(c => c.Id).ToListAsync()));
    }

    [Fact]
    public async Task Close_ByDefault_AllowsAParentOnceEveryChildIsClosed()
    {
        var (parent, children) = await Data.FamilyAsync(2);
        var service = Database.NewCaseService();
        await service.ResolveAsync(children[0].Id, "Gas conectado", UserId);
        await service.CancelAsync(children[1].Id, UserId);

        var closedWithIt = await service.ResolveAsync(parent.Id, "Todo conectado", UserId);

        Assert.Empty(closedWithIt);
        Assert.Equal(CaseStatus.Resolved, (await Database.FindCaseAsync(parent.Id)).Status);
    }

    [Fact]
    public async Task Resolve_WithCloseChildren_ResolvesTheActiveChildrenWithTheSameResolution()
    {
        await Data.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
        var (parent, children) = await Data.FamilyAsync(3);
        await Database.NewCaseService().CancelAsync(children[2].Id, UserId);
        var cancelled = await Database.FindCaseAsync(children[2].Id);

        var closedWithIt = await Database.NewCaseService().ResolveAsync(parent.Id, "Alta completada", UserId);

        Assert.Equal([children[0].Id, children[1].Id], closedWithIt.Select(c => c.Id).Order());
        Assert.All(closedWithIt, c => Assert.Equal(CaseStatus.Resolved, c.Status));
        var rows = (await Database.CaseRowsAsync()).ToDictionary(c => c.Id);
        foreach (var id in new[] { parent.Id, children[0].Id, children[1].Id })
        {
            Assert.Equal((CaseStatus.Resolved, "Alta completada"), (rows[id].Status, rows[id].Resolution));
        }

        Assert.Equal((CaseStatus.Cancelled, cancelled.Version), (rows[cancelled.Id].Status, rows[cancelled.Id].Version));
    }

    [Fact]
    public async Task Cancel_WithCloseChildren_CancelsTheActiveChildren()
    {
        await Data.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
        var (parent, children) = await Data.FamilyAsync(2);

        var closedWithIt = await Database.NewCaseService().CancelAsync(parent.Id, UserId);

        Assert.Equal(children.Select(c => c.Id), closedWithIt.Select(c => c.Id).Order());
        var rows = await Database.CaseRowsAsync();
        Assert.All(rows.Where(r => r.Id == parent.Id || r.ParentId == parent.Id), r => Assert.Equal(CaseStatus.Cancelled, r.Status));
    }

    [Fact]
    public async Task Close_WithoutRestriction_LeavesTheChildrenActive()
    {
        await Data.SettingsAsync(s => s.ClosurePreference = ClosurePreference.Independent);
        var (parent, children) = await Data.FamilyAsync(2);

        var closedWithIt = await Database.NewCaseService().ResolveAsync(parent.Id, "Principal cerrado", UserId);

        Assert.Empty(closedWithIt);
        Assert.Equal(CaseStatus.Resolved, (await Database.FindCaseAsync(parent.Id)).Status);
        foreach (var child in children)
        {
            Assert.Equal(child.Status, (await Database.FindCaseAsync(child.Id)).Status);
        }
    }

    [Fact]
    public async Task Reopen_BringsAClosedCaseBackToInProgress()
    {
        var item = await Data.CaseAsync(status: CaseStatus.Resolved);

        await Database.NewCaseService().ReopenAsync(item.Id, UserId);

        var stored = await Database.FindCaseAsync(item.Id);
        Assert.Equal((CaseStatus.InProgress, item.Version + 1), (stored.Status, stored.Version));
    }

    [Fact]
    public async Task Reopen_RefusesAnActiveCase()
    {
        var item = await Data.CaseAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.ReopenAsync(item.Id, UserId));

        Assert.Equal(CaseRuleCode.InvalidStatusChange, error.Code);
    }

    [Fact]
    public async Task Reopen_OfAChild_AlsoRaisesTheParentsVersion()
    {
        var (parent, children) = await Data.FamilyAsync(1);
        var service = Database.NewCaseService();
        await service.CancelAsync(children[0].Id, UserId);

        await service.ReopenAsync(children[0].Id, UserId);

        Assert.Equal(CaseStatus.InProgress, (await Database.FindCaseAsync(children[0].Id)).Status);
        Assert.Equal(parent.Version + 1, (await Database.FindCaseAsync(parent.Id)).Version);
    }

    // ---- Assigning

    [Fact]
    public async Task Assign_BySupervisor_SetsAndClearsTheAssignee()
    {
        var item = await Data.CaseAsync();
        var agent = await Data.UserAsync();
        var service = Database.NewCaseService();

        await service.AssignAsync(item.Id, agent.Id, UserId, isSupervisor: true);
        var assigned = await Database.FindCaseAsync(item.Id);
        await service.AssignAsync(item.Id, null, UserId, isSupervisor: true);
        var cleared = await Database.FindCaseAsync(item.Id);

        Assert.Equal(agent.Id, assigned.AssignedToId);
        Assert.Null(cleared.AssignedToId);
        Assert.Equal(item.Version + 2, cleared.Version);
    }

    [Fact]
    public async Task Assign_ByAnAgent_OnlyTakesTheCaseThemselves()
    {
        var item = await Data.CaseAsync();
        var colleague = await Data.UserAsync();

        var error = await RefusedAsync<CaseRuleException>(s => s.AssignAsync(item.Id, colleague.Id, UserId, isSupervisor: false));
        await Database.NewCaseService().AssignAsync(item.Id, UserId, UserId, isSupervisor: false);

        Assert.Equal(CaseRuleCode.AssignOnlySelf, error.Code);
        Assert.Equal(UserId, (await Database.FindCaseAsync(item.Id)).AssignedToId);
    }

    // ---- Settings

    [Fact]
    public async Task MaxChildren_IsReadFromTheSettingsRowAtEveryOperation()
    {
        await Data.SettingsAsync(s => s.MaxChildren = 2);
        var parent = await Data.CaseAsync();
        var others = await Data.CasesAsync(3);
        var service = Database.NewCaseService();
        await service.AddChildrenAsync(parent.Id, [others[0].Id, others[1].Id], UserId);

        var refused = await Assert.ThrowsAsync<CaseRuleException>(() => service.AddChildrenAsync(parent.Id, [others[2].Id], UserId));
        await Data.SettingsAsync(s => s.MaxChildren = 3);
        await service.AddChildrenAsync(parent.Id, [others[2].Id], UserId);

        Assert.Equal(CaseRuleCode.TooManyChildren, refused.Code);
        Assert.Equal(3, (await Database.FindCaseAsync(parent.Id)).ChildCount);
    }

    [Fact]
    public async Task ClosurePreference_IsReadFromTheSettingsRowAtEveryOperation()
    {
        var (parent, _) = await Data.FamilyAsync(1);
        var service = Database.NewCaseService();
        await Assert.ThrowsAsync<CaseRuleException>(() => service.ResolveAsync(parent.Id, "Hecho", UserId));

        await Data.SettingsAsync(s => s.ClosurePreference = ClosurePreference.CloseChildren);
        var closedWithIt = await service.ResolveAsync(parent.Id, "Hecho", UserId);

        Assert.Single(closedWithIt);
    }

    // ---- Case numbers

    [Fact]
    public async Task CaseNumbers_AreUniqueIncreasingAndNeverReused()
    {
        var service = Database.NewCaseService();
        var first = new List<int>();
        for (var i = 0; i < 3; i++)
        {
            first.Add((await service.AddToContactAsync(Data.Contact.Id, Data.Fields(), CaseStatus.New, UserId)).Id);
        }

        await Assert.ThrowsAsync<CaseRuleException>(() => service.AddToContactAsync(Data.Contact.Id, Data.Fields(accountId: 999_999), CaseStatus.New, UserId));
        var concurrent = await Task.WhenAll(Enumerable.Range(0, 4).Select(_ => Task.Run(async () =>
        {
            var worker = Database.NewCaseService();
            var ids = new List<int>();
            for (var i = 0; i < 5; i++)
            {
                ids.Add((await worker.AddToContactAsync(Data.Contact.Id, Data.Fields(), CaseStatus.New, UserId)).Id);
            }

            return ids;
        })));
        var last = (await service.AddToContactAsync(Data.Contact.Id, Data.Fields(), CaseStatus.New, UserId)).Id;

        Assert.Equal(first.Order(), first);
        Assert.All(concurrent, ids => Assert.Equal(ids.Order(), ids));
        var all = first.Concat(concurrent.SelectMany(ids => ids)).Append(last).ToList();
        Assert.Equal(all.Count, all.Distinct().Count());
        Assert.All(concurrent.SelectMany(ids => ids), id => Assert.True(id > first.Max()));
        Assert.Equal(all.Max(), last);
        Assert.Equal((await Database.CaseRowsAsync()).Select(c => c.Id), all.Order());
        Assert.Equal($"CAS-{last:D6}", CaseNumber.Format(last));
    }

    /// <summary>Runs <paramref name="operation"/> on a fresh service, expects <typeparamref name="TException"/>, and that no case changed and no row came or went.</summary>
    private async Task<TException> RefusedAsync<TException>(Func<CaseService, Task> operation)
        where TException : Exception
    {
        var cases = await Database.CaseRowsAsync();
        var counts = await Database.RowCountsAsync();
        var error = await Assert.ThrowsAsync<TException>(() => operation(Database.NewCaseService()));
        Assert.Equal(cases, await Database.CaseRowsAsync());
        Assert.Equal(counts, await Database.RowCountsAsync());
        return error;
    }

    private Task<IReadOnlyList<ChildSummary>> Close(CaseService service, int caseId, CaseStatus status) =>
        status == CaseStatus.Resolved ? service.ResolveAsync(caseId, "Hecho", UserId) : service.CancelAsync(caseId, UserId);

    public sealed class Sqlite() : CaseServiceTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : CaseServiceTests(DatabaseProvider.Postgres);
}
