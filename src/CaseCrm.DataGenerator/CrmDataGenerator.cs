using System.Globalization;
using Bogus;
using CaseCrm.Domain;
using CaseCrm.Data;
using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Data.Reports;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Activities;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Email;
using CaseCrm.Domain.Text;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace CaseCrm.DataGenerator;

/// <summary>What was generated, and the ids a benchmark needs (the busiest contact, the parent with 100 children, ...).</summary>
internal sealed record GenerationSummary(long Accounts, long Contacts, long Cases, long Families, long FamilyCases, IReadOnlyList<KeyValuePair<string, string>> Facts);

/// <summary>
/// Migrates and seeds the database the way the app does (roles, categories, settings, demo users and demo data), adds
/// some agents, then bulk-inserts accounts, contacts and cases made up from a fixed seed: the same options give the
/// same rows. Cases per contact are skewed (one contact has at least BusiestContactMinimum, the benchmark's busiest contact page); about 10 % of the cases are in families
/// (a parent and its children, no grandchildren), one of them a parent with exactly 100 children.
/// </summary>
internal sealed class CrmDataGenerator(GeneratorOptions options)
{
    private const double FamilyShare = 0.10;
    private const int BigFamilyChildren = 100;
    private const int BusiestContactMinimum = 600;

    // Data is dated back from a fixed instant so that a seed always gives the same rows.
    private static readonly DateTime Now = new(2026, 11, 1, 9, 0, 0, DateTimeKind.Utc);
    private static readonly TimeSpan History = TimeSpan.FromDays(3 * 365);

    private readonly Faker _faker = new("es") { Random = new Randomizer(options.Seed) };
    private FakeText? _fakeText;

    // The same Faker, so that a seed still gives the same rows.
    private FakeText Text => _fakeText ??= new FakeText(_faker);

    public async Task<GenerationSummary> RunAsync()
    {
        await using var services = BuildServices();
        await using var scope = services.CreateAsyncScope();
        var db = scope.ServiceProvider.GetRequiredService<CrmDbContext>();
        db.ChangeTracker.AutoDetectChangesEnabled = false;
        // Building indexes and statistics over a million rows takes longer than a request's default 30 s.
        db.Database.SetCommandTimeout(TimeSpan.FromHours(1));

        Console.WriteLine($"Migrating and seeding ({options.Provider})...");
        await scope.ServiceProvider.GetRequiredService<DbInitializer>().InitializeAsync();
        if (await db.Contacts.CountAsync() > 100 || await db.Cases.CountAsync() > 100)
        {
            throw new GeneratorException("The database already holds data beyond the demo seed; give the generator a new database.");
        }

        await TuneForBulkLoadAsync(db);
        var users = await EnsureAgentsAsync(scope.ServiceProvider.GetRequiredService<UserManager<AppUser>>());
        var categories = await db.Categories.OrderBy(c => c.Id).Select(c => c.Id).ToArrayAsync();
        var facts = new List<KeyValuePair<string, string>>();

        var firstAccount = await NextIdAsync(db.Accounts.Select(a => a.Id));
        var accountNames = await InsertAccountsAsync(db, firstAccount, users);
        var firstContact = await NextIdAsync(db.Contacts.Select(c => c.Id));
        // Every deferred index and key is dropped before the first copy: nothing is dropped while the background builds run.
        var contactIndexes = await DeferredIndexes.DropAsync(db, "Contacts");
        var termIndexes = await DeferredIndexes.DropAsync(db, "ContactSearchTerms");
        var caseIndexes = await DeferredIndexes.DropAsync(db, "Cases");
        var activityIndexes = await DeferredIndexes.DropAsync(db, "Activities");
        var emailIndexes = await DeferredIndexes.DropAsync(db, "EmailMessages");
        // PostgreSQL builds them on two connections of their own while the next table is generated and copied.
        var background = db.Database.IsNpgsql() ? new BackgroundIndexes(options.Connection, 2) : null;
        var contactAccounts = await InsertContactsAsync(db, firstContact, firstAccount, accountNames, users);
        await contactIndexes.RestoreAsync(background);
        await termIndexes.RestoreAsync(background);
        var firstCase = await NextIdAsync(db.Cases.Select(c => c.Id));
        var clock = new GeneratedClock(await ServiceLevelClock.BookAsync(db, [], CancellationToken.None), _faker.Random, Now);
        var plan = await InsertCasesAsync(db, firstCase, firstContact, contactAccounts, categories, users, clock);
        await caseIndexes.RestoreAsync(background);
        var firstActivity = await NextIdAsync(db.Activities.Select(a => a.Id));
        var timelineCase = await InsertActivitiesAsync(db, firstActivity, firstCase, firstContact, plan.CaseContacts, contactAccounts, users);
        await activityIndexes.RestoreAsync(background);
        var mailbox = await InsertMailboxAsync(db, categories[0]);
        var firstEmail = await NextIdAsync(db.EmailMessages.Select(e => e.Id));
        var (threadCase, emails) = await InsertEmailsAsync(db, firstEmail, firstCase, mailbox);
        await emailIndexes.RestoreAsync(background);
        if (background is not null)
        {
            Console.WriteLine("Waiting for the indexes, keys and statistics...");
            await background.CompleteAsync();
        }

        facts.AddRange(await SkewedBurst.AddAsync(db, options.Skew, firstCase, firstContact, categories));
        Console.WriteLine("Updating identities and statistics...");
        await FinishAsync(db);
        // The cases were copied around EF, which keeps the reports' summary on each save (ADR 0040): made again here,
        // after the statistics and PostgreSQL's vacuum, so that the cases are read from their covering report indexes.
        Console.WriteLine("Making the reports' summary...");
        var summaryClock = System.Diagnostics.Stopwatch.StartNew();
        // Its key is built once after the cells are in (PostgreSQL): inserting millions of cells into it one by one took
        // about a third of the summary's time (ADR 0041).
        var summaryKey = await DeferredIndexes.DropAsync(db, "ReportCounts", primaryKey: true);
        await ReportSummary.RebuildAsync(db, CancellationToken.None);
        await summaryKey.RestoreAsync(null);
        await db.Database.ExecuteSqlRawAsync(db.Database.IsSqlServer() ? "UPDATE STATISTICS \"ReportCounts\"" : "ANALYZE \"ReportCounts\"");
        Console.WriteLine($"reports' summary: {await db.ReportCounts.CountAsync():N0} cells in {summaryClock.Elapsed.TotalSeconds:F1} s");

        facts.Add(new("busiest_contact_id", (firstContact).ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("busiest_contact_cases", plan.BusiestContactCases.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("big_parent_id", plan.BigParentId.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("typical_contact_id", (firstContact + (options.Contacts / 2)).ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("sample_case_id", (firstCase + (options.Cases / 2)).ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("first_case_id", firstCase.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("timeline_case_id", timelineCase.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("activities", options.Activities.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("email_thread_case_id", threadCase.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("emails", emails.ToString(CultureInfo.InvariantCulture)));
        facts.Add(new("mailbox_id", mailbox.ToString(CultureInfo.InvariantCulture)));
        // The data is dated back from a fixed instant, not from today: the calendar's benchmark shows that instant's week.
        facts.Add(new("calendar_date", DateOnly.FromDateTime(Now).ToString("yyyy-MM-dd", CultureInfo.InvariantCulture)));
        facts.Add(new("last_case_id", (firstCase + options.Cases - 1).ToString(CultureInfo.InvariantCulture)));
        return new GenerationSummary(options.Accounts, options.Contacts, options.Cases, plan.Families, plan.FamilyCases, facts);
    }

    private ServiceProvider BuildServices()
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(new Dictionary<string, string?>
        {
            ["Database:Provider"] = options.Provider.ToString(),
            ["ConnectionStrings:Default"] = options.Connection,
            // The demo users sign in to the benchmark; the demo data comes along and is left as it is.
            ["Seed:Demo"] = "true",
        }).Build();
        var services = new ServiceCollection();
        services.AddSingleton<IConfiguration>(configuration);
        services.AddLogging(b => b.AddConsole().SetMinimumLevel(LogLevel.Warning));
        services.AddCrmData(configuration);
        // The app's password rules (length only), so that the demo users' passwords pass.
        services.AddIdentityCore<AppUser>(o =>
            {
                PasswordPolicy.Apply(o.Password);
                o.User.RequireUniqueEmail = true;
            })
            .AddRoles<IdentityRole>()
            .AddEntityFrameworkStores<CrmDbContext>();
        return services.BuildServiceProvider();
    }

    private static async Task TuneForBulkLoadAsync(CrmDbContext db)
    {
        if (db.Database.IsSqlite())
        {
            // One connection does all the work and a failed load is simply run again: no journal, no syncs while loading.
            await db.Database.OpenConnectionAsync();
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = OFF; PRAGMA synchronous = OFF; PRAGMA cache_size = -262144;");
        }
        else if (db.Database.IsNpgsql())
        {
            await db.Database.OpenConnectionAsync();
            // Index builds sort in memory and on both cores; adding a foreign key back checks it with a hash join.
            await db.Database.ExecuteSqlRawAsync(
                "SET synchronous_commit = off; SET maintenance_work_mem = '1GB'; SET max_parallel_maintenance_workers = 1; SET work_mem = '256MB'");
        }
    }

    /// <summary>The demo users plus <see cref="GeneratorOptions.Agents"/> agents with fixed ids (no password: they never sign in).</summary>
    private async Task<string[]> EnsureAgentsAsync(UserManager<AppUser> users)
    {
        var ids = new List<string>();
        foreach (var demo in DbInitializer.DemoUsers)
        {
            ids.Add((await users.FindByEmailAsync(demo.Email))!.Id);
        }

        for (var i = 1; i <= options.Agents; i++)
        {
            var id = new Guid(_faker.Random.Bytes(16)).ToString();
            var email = string.Create(CultureInfo.InvariantCulture, $"agente{i:D2}@generado.test");
            var user = new AppUser
            {
                Id = id, UserName = email, Email = email, EmailConfirmed = true, DisplayName = _faker.Name.FullName(),
            };
            Check(await users.CreateAsync(user));
            Check(await users.AddToRoleAsync(user, Roles.Agent));
            ids.Add(id);
        }

        return [.. ids];
    }

    private async Task<string[]> InsertAccountsAsync(CrmDbContext db, int firstId, string[] users)
    {
        var names = new string[options.Accounts];
        var progress = new Progress("accounts", options.Accounts);
        await using var table = await BulkTable.OpenAsync<Account>(db,
            nameof(Account.Id), nameof(Account.Name), nameof(Account.SearchName), nameof(Account.TaxId), nameof(Account.Phone),
            nameof(Account.Email), nameof(Account.Website), nameof(Account.Address), nameof(Account.OwnerId),
            nameof(Account.CreatedAt), nameof(Account.UpdatedAt));
        for (var i = 0; i < options.Accounts; i++)
        {
            var name = _faker.Company.CompanyName();
            var slug = Slug(name);
            // The entity computes the folded search column: the same formula as the app.
            var account = new Account(new AccountDetails(name, null, null, null, null, null), null, Now);
            var created = Now - (History * _faker.Random.Double(0.3, 1));
            names[i] = name;
            await table.AddAsync(
            [
                firstId + i, account.Name, account.SearchName,
                string.Create(CultureInfo.InvariantCulture, $"{_faker.Random.Char('A', 'H')}-{_faker.Random.Int(10_000_000, 99_999_999)}"),
                _faker.Phone.PhoneNumber("+34 9## ### ###"),
                _faker.Random.Bool(0.8f) ? $"contacto@{slug}.test" : null,
                _faker.Random.Bool(0.6f) ? $"https://www.{slug}.test" : null,
                $"{_faker.Address.StreetAddress()}, {_faker.Address.City()}",
                _faker.Random.Bool(0.7f) ? _faker.PickRandom(users) : null,
                created, created + TimeSpan.FromDays(_faker.Random.Double(0, 200)),
            ]);
            progress.Advance();
        }

        await table.CompleteAsync();
        progress.Finish();
        return names;
    }

    /// <summary>
    /// Inserts the contacts and their search terms, a chunk of <see cref="ContactsPerChunk"/> contacts then their terms (one
    /// connection copies one table at a time; holding every contact's terms until the end took gigabytes at a million
    /// contacts). Returns each contact's account id (index = contact id − <paramref name="firstId"/>).
    /// </summary>
    private async Task<int?[]> InsertContactsAsync(CrmDbContext db, int firstId, int firstAccount, string[] accountNames, string[] users)
    {
        var accounts = new int?[options.Contacts];
        var progress = new Progress("contacts", options.Contacts);
        long termCount = 0;
        for (var start = 0; start < options.Contacts; start += ContactsPerChunk)
        {
            var end = Math.Min(options.Contacts, start + ContactsPerChunk);
            var terms = new List<(int ContactId, List<ContactSearchTerm> Terms)>(end - start);
            await using (var table = await BulkTable.OpenAsync<Contact>(db,
                nameof(Contact.Id), nameof(Contact.FirstName), nameof(Contact.LastName), nameof(Contact.Email), nameof(Contact.Phone),
                nameof(Contact.Mobile), nameof(Contact.JobTitle), nameof(Contact.AccountId), nameof(Contact.OwnerId),
                nameof(Contact.SortName), nameof(Contact.CreatedAt), nameof(Contact.UpdatedAt)))
            {
                for (var i = start; i < end; i++)
                {
                    var accountIndex = accountNames.Length > 0 && _faker.Random.Bool(0.8f) ? _faker.Random.Int(0, accountNames.Length - 1) : (int?)null;
                    var first = _faker.Name.FirstName();
                    var last = _faker.Random.Bool(0.6f) ? $"{_faker.Name.LastName()} {_faker.Name.LastName()}" : _faker.Name.LastName();
                    var domain = accountIndex is { } a ? Slug(accountNames[a]) + ".test" : _faker.PickRandom(FakeText.FreeMailDomains);
                    var created = Now - (History * _faker.Random.Double(0, 1));
                    var details = new ContactDetails(
                        first,
                        last,
                        _faker.Random.Bool(0.9f) ? string.Create(CultureInfo.InvariantCulture, $"{Slug(first)}.{Slug(last)}{i % 1000}@{domain}") : null,
                        _faker.Random.Bool(0.85f) ? _faker.Phone.PhoneNumber("+34 9## ### ###") : null,
                        _faker.Random.Bool(0.5f) ? _faker.Phone.PhoneNumber("+34 6## ### ###") : null,
                        _faker.Random.Bool(0.7f) ? _faker.PickRandom(FakeText.JobTitles) : null,
                        accountIndex + firstAccount);
                    // The entity computes the folded sort name and the search terms: the same formulas as the app.
                    var contact = new Contact(details, accountIndex is { } n ? accountNames[n] : null, null, Now);
                    accounts[i] = contact.AccountId;
                    terms.Add((firstId + i, contact.SearchTerms!));
                    await table.AddAsync(
                    [
                        firstId + i, contact.FirstName, contact.LastName, contact.Email, contact.Phone, contact.Mobile, contact.JobTitle,
                        contact.AccountId, _faker.Random.Bool(0.5f) ? _faker.PickRandom(users) : null, contact.SortName,
                        created, created + TimeSpan.FromDays(_faker.Random.Double(0, 100)),
                    ]);
                    progress.Advance();
                }

                await table.CompleteAsync();
            }

            termCount += await InsertSearchTermsAsync(db, terms);
        }

        progress.Finish();
        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"search terms: {termCount:N0}, copied with the contacts"));
        return accounts;
    }

    private const int ContactsPerChunk = 50_000;

    private static async Task<long> InsertSearchTermsAsync(CrmDbContext db, List<(int ContactId, List<ContactSearchTerm> Terms)> contacts)
    {
        await using var table = await BulkTable.OpenAsync<ContactSearchTerm>(db,
            nameof(ContactSearchTerm.ContactId), nameof(ContactSearchTerm.Term), nameof(ContactSearchTerm.SortName));
        foreach (var (contactId, terms) in contacts)
        {
            foreach (var term in terms)
            {
                await table.AddAsync([contactId, term.Term, term.SortName]);
            }
        }

        await table.CompleteAsync();
        return table.Rows;
    }

    // CaseContacts: each case's contact, as an index from the first generated contact (the activities' tab columns need it).
    private sealed record CasePlan(int BigParentId, int BusiestContactCases, long Families, long FamilyCases, int[] CaseContacts);

    private async Task<CasePlan> InsertCasesAsync(
        CrmDbContext db, int firstId, int firstContact, int?[] contactAccounts, int[] categories, string[] users, GeneratedClock clock)
    {
        var total = options.Cases;
        var progress = new Progress("cases", total);
        await using var table = await BulkTable.OpenAsync<Case>(db,
        [
            nameof(Case.Id), nameof(Case.Title), nameof(Case.SearchTitle), nameof(Case.ContactId), nameof(Case.AccountId),
            nameof(Case.CategoryId), nameof(Case.Priority), nameof(Case.Status), nameof(Case.Description), nameof(Case.Resolution),
            nameof(Case.Origin), nameof(Case.AssignedToId), nameof(Case.ParentId), nameof(Case.ChildCount), nameof(Case.CreatedById),
            nameof(Case.CreatedAt), nameof(Case.UpdatedById), nameof(Case.UpdatedAt), nameof(Case.Version),
            nameof(Case.AssignedAt), .. GeneratedClock.Properties,
        ]);

        // A family of k children holds k + 1 cases; families start often enough for about FamilyShare of all cases.
        const double MeanChildren = 3.5;
        var familyStart = FamilyShare / ((1 + MeanChildren) - (FamilyShare * MeanChildren));
        var bigFamilyAt = total >= BigFamilyChildren + 1 ? total / 3 : -1;
        // Every stride-th case goes to the busiest contact, on top of its share of the skewed draw.
        var busiestStride = Math.Max(1, total / BusiestContactMinimum);
        int busiestCases = 0, bigParentId = 0;
        var caseContacts = new int[total];
        long families = 0, familyCases = 0;

        var written = 0;
        while (written < total)
        {
            var left = total - written;
            int children;
            if (bigParentId == 0 && bigFamilyAt >= 0 && written >= bigFamilyAt && left >= BigFamilyChildren + 1)
            {
                children = BigFamilyChildren;
                bigParentId = firstId + written;
            }
            else
            {
                children = left >= 2 && _faker.Random.Double() < familyStart ? _faker.Random.Int(1, Math.Min(6, left - 1)) : 0;
            }

            var parentId = firstId + written;
            var parentContact = PickContact(written);
            var parentStatus = children == BigFamilyChildren ? CaseStatus.InProgress
                : children > 0 && _faker.Random.Bool(0.7f) ? Pick(CaseStatuses.Active) : PickStatus();
            await table.AddAsync(CaseRow(parentId, parentContact, parentStatus, null, children, written));
            busiestCases += parentContact == 0 ? 1 : 0;
            written++;
            if (children > 0)
            {
                families++;
                familyCases += children + 1;
            }

            for (var c = 0; c < children; c++)
            {
                // Children created from the parent share its contact; associated ones come from anywhere.
                var contact = _faker.Random.Bool() ? parentContact : PickContact(written);
                // A closed parent has closed children (the default closure rule); an active one has any.
                var status = parentStatus.IsActive() ? PickStatus() : Pick(CaseStatuses.Closed);
                await table.AddAsync(CaseRow(firstId + written, contact, status, parentId, 0, written));
                busiestCases += contact == 0 ? 1 : 0;
                written++;
            }

            progress.Advance(children + 1);
        }

        await table.CompleteAsync();
        progress.Finish();
        return new CasePlan(bigParentId, busiestCases, families, familyCases, caseContacts);

        int PickContact(int index) => index % busiestStride == 0
            ? 0
            // u² piles the draws on the first contacts: a few have thousands of cases, most a handful.
            : (int)(options.Contacts * Math.Pow(_faker.Random.Double(), 2));

        object?[] CaseRow(int id, int contactIndex, CaseStatus status, int? parent, int childCount, int index)
        {
            caseContacts[index] = contactIndex;
            var title = Text.Title();
            var created = Now - History + (History * ((index + _faker.Random.Double()) / total));
            // A cube piles closed cases' last updates (their resolutions) on the first days: most are resolved within a week.
            var updated = created + TimeSpan.FromHours(status.IsActive() ? _faker.Random.Double(0, 72) : 24 * 20 * Math.Pow(_faker.Random.Double(), 3));
            if (updated > Now)
            {
                updated = Now;
            }

            var creator = _faker.PickRandom(users);
            var assignee = _faker.Random.Bool(0.7f) ? users[(int)(users.Length * Math.Pow(_faker.Random.Double(), 1.5))] : null;
            var category = _faker.PickRandom(categories);
            CasePriority? priority = _faker.Random.Bool(0.9f) ? _faker.PickRandom<CasePriority>() : null;
            return
            [
                id, title, SearchText.Fold(title, Limits.CaseTitle), firstContact + contactIndex, contactAccounts[contactIndex],
                category,
                (int?)priority,
                (int)status,
                Text.Description(),
                status == CaseStatus.Resolved || (status == CaseStatus.Closed && _faker.Random.Bool()) ? _faker.PickRandom(FakeText.Resolutions) : null,
                _faker.Random.Bool(0.8f) ? (int)_faker.PickRandom<CaseOrigin>() : null,
                assignee, parent, childCount, creator, created, assignee ?? creator, updated, _faker.Random.Int(1, 4),
                assignee is null ? null : created,
                .. clock.Columns(priority, category, status, created, updated),
            ];
        }
    }

    /// <summary>
    /// Activities regarding cases, about <see cref="GeneratorOptions.Activities"/> in all: skewed (an exponential draw,
    /// so most cases have a few and some many), owned evenly by all users (the demo agent's calendar week holds an
    /// agent's share, not a fifth of everything), two thirds closed; one case, the timeline benchmark's, gets
    /// <see cref="TimelineActivities"/>. Each is listed under its case's contact and account (the Actividades tabs).
    /// Returns the timeline case's id.
    /// </summary>
    private async Task<int> InsertActivitiesAsync(
        CrmDbContext db, int firstId, int firstCase, int firstContact, int[] caseContacts, int?[] contactAccounts, string[] users)
    {
        var total = options.Activities;
        if (total == 0 || options.Cases == 0)
        {
            return 0;
        }

        var progress = new Progress("activities", total);
        await using var table = await BulkTable.OpenAsync<Activity>(db,
            nameof(Activity.Id), nameof(Activity.Type), nameof(Activity.Subject), nameof(Activity.Priority), nameof(Activity.Status),
            nameof(Activity.OwnerId), nameof(Activity.RegardingType), nameof(Activity.CaseId), nameof(Activity.DueAt), nameof(Activity.StartAt),
            nameof(Activity.EndAt), nameof(Activity.Direction), nameof(Activity.DurationMinutes), nameof(Activity.ScheduledAt), nameof(Activity.ClosedAt),
            nameof(Activity.CreatedById), nameof(Activity.CreatedAt), nameof(Activity.UpdatedById), nameof(Activity.UpdatedAt), nameof(Activity.Version),
            nameof(Activity.AroundContactId), nameof(Activity.AroundAccountId));
        var perCase = (double)total / options.Cases;
        var timelineCase = firstCase + (options.Cases / 2) + 1;
        var written = 0;
        for (var caseIndex = 0; caseIndex < options.Cases && written < total; caseIndex++)
        {
            var caseId = firstCase + caseIndex;
            var count = caseId == timelineCase
                ? TimelineActivities
                : (int)Math.Min(int.MaxValue, (-Math.Log(1 - _faker.Random.Double()) * perCase) + _faker.Random.Double()); // rounded at random: the mean stays perCase
            var created = Now - History + (History * ((caseIndex + _faker.Random.Double()) / options.Cases));
            for (var i = 0; i < count && written < total; i++)
            {
                await table.AddAsync(ActivityRow(firstId + written, caseId, caseContacts[caseIndex], created.AddHours(i * 3)));
                written++;
            }

            progress.Advance(count);
        }

        await table.CompleteAsync();
        progress.Finish();
        return timelineCase;

        object?[] ActivityRow(int id, int caseId, int contactIndex, DateTime created)
        {
            var type = _faker.Random.WeightedRandom([ActivityType.Call, ActivityType.Task, ActivityType.Appointment], [0.6f, 0.3f, 0.1f]);
            var when = created + TimeSpan.FromHours(_faker.Random.Double(0, 24 * 10));
            var status = when > Now ? ActivityStatus.Open
                : _faker.Random.WeightedRandom([ActivityStatus.Open, ActivityStatus.Completed, ActivityStatus.Cancelled], [0.3f, 0.6f, 0.1f]);
            var owner = Pick(users);
            return
            [
                id, (int)type, _faker.PickRandom(ActivitySubjects[type]), (int)_faker.PickRandom<ActivityPriority>(), (int)status,
                owner, (int)RegardingType.Case, caseId,
                type == ActivityType.Task ? when : null,
                type != ActivityType.Task ? when : null,
                type == ActivityType.Appointment ? when.AddHours(1) : null,
                type == ActivityType.Call ? (int)_faker.PickRandom<CallDirection>() : null,
                type == ActivityType.Call ? _faker.Random.Int(1, 40) : null,
                when,
                status == ActivityStatus.Open ? null : when.AddMinutes(30),
                owner, created, owner, status == ActivityStatus.Open ? created : when.AddMinutes(30), status == ActivityStatus.Open ? 1 : 2,
                firstContact + contactIndex, contactAccounts[contactIndex],
            ];
        }
    }

    private const int TimelineActivities = 500;
    private const int ThreadEmails = 500;
    private const string MailboxAddress = "soporte@generado.test";

    /// <summary>
    /// The mailbox the generated emails belong to. Inactive: it points at no server, and an active one would make the
    /// app's poller try it during the page benchmark (the email benchmark adds a mailbox of its own).
    /// </summary>
    private static async Task<int> InsertMailboxAsync(CrmDbContext db, int categoryId)
    {
        var mailbox = new Mailbox
        {
            Name = "Soporte (generado)", ImapHost = "127.0.0.1", ImapPort = 143, ImapSecurity = MailSecurity.None, ImapUser = MailboxAddress,
            SmtpHost = "127.0.0.1", SmtpPort = 25, SmtpSecurity = MailSecurity.None, SmtpUser = MailboxAddress, Address = MailboxAddress,
            DisplayName = "Soporte", DefaultCategoryId = categoryId, IsActive = false,
        };
        db.Mailboxes.Add(mailbox);
        await db.SaveChangesAsync();
        return mailbox.Id;
    }

    /// <summary>
    /// Emails of the cases' timelines: about one case in ten has one or two (a customer's message and, half the time, the
    /// answer), and one case, the email thread benchmark's, has <see cref="ThreadEmails"/>, incoming and outgoing in turn.
    /// Returns that case's id and how many emails were written.
    /// </summary>
    private async Task<(int ThreadCase, long Emails)> InsertEmailsAsync(CrmDbContext db, int firstId, int firstCase, int mailboxId)
    {
        if (options.Cases == 0)
        {
            return (0, 0);
        }

        var progress = new Progress("emails", options.Cases);
        await using var table = await BulkTable.OpenAsync<EmailMessage>(db,
            nameof(EmailMessage.Id), nameof(EmailMessage.CaseId), nameof(EmailMessage.MailboxId), nameof(EmailMessage.Direction),
            nameof(EmailMessage.MessageId), nameof(EmailMessage.InReplyTo), nameof(EmailMessage.FromAddress), nameof(EmailMessage.FromName),
            nameof(EmailMessage.To), nameof(EmailMessage.Cc), nameof(EmailMessage.Subject), nameof(EmailMessage.TextBody), nameof(EmailMessage.HtmlBody),
            nameof(EmailMessage.RefusedAttachments), nameof(EmailMessage.AttachmentsPending), nameof(EmailMessage.SentAt), nameof(EmailMessage.CreatedAt),
            nameof(EmailMessage.State), nameof(EmailMessage.SendAttempts));
        // Next to the activities' timeline case, not on it: each benchmark page shows one kind of entry.
        var threadCase = firstCase + (options.Cases / 2) + 2;
        if (threadCase >= firstCase + options.Cases)
        {
            threadCase = firstCase;
        }

        var id = firstId;
        for (var caseIndex = 0; caseIndex < options.Cases; caseIndex++)
        {
            var caseId = firstCase + caseIndex;
            var count = caseId == threadCase ? ThreadEmails : _faker.Random.Double() < 0.1 ? _faker.Random.Int(1, 2) : 0;
            if (count == 0)
            {
                progress.Advance();
                continue;
            }

            var name = _faker.Name.FullName();
            var customer = string.Create(CultureInfo.InvariantCulture, $"{Slug(name)}{caseIndex % 1000}@{_faker.PickRandom(FakeText.FreeMailDomains)}");
            var subject = Text.Title();
            var created = Now - History + (History * ((caseIndex + _faker.Random.Double()) / options.Cases));
            string? previous = null;
            for (var i = 0; i < count; i++)
            {
                var incoming = i % 2 == 0;
                var at = created.AddHours(i * 2);
                var messageId = string.Create(CultureInfo.InvariantCulture, $"gen-{id}@generado.test");
                var body = incoming ? Text.CustomerEmail(name) : Text.AgentEmail(name);
                // About one message in five came with an HTML part (already sanitized, as intake stores it).
                var html = _faker.Random.Bool(0.2f) ? FakeText.Html(body) : null;
                var fullSubject = (i == 0 ? "" : "Re: ") + subject + (incoming ? "" : $" [{CaseNumber.Format(caseId)}]");
                await table.AddAsync(
                [
                    id, caseId, mailboxId, (int)(incoming ? EmailDirection.Incoming : EmailDirection.Outgoing), messageId, previous,
                    incoming ? customer : MailboxAddress, incoming ? name : "Soporte", incoming ? MailboxAddress : customer, null,
                    fullSubject, body, html, null, false, at, at.AddSeconds(_faker.Random.Int(5, 120)),
                    incoming ? null : (int)DeliveryState.Sent, incoming ? 0 : 1,
                ]);
                previous = messageId;
                id++;
            }

            progress.Advance();
        }

        await table.CompleteAsync();
        progress.Finish();
        return (threadCase, id - firstId);
    }

    private static readonly Dictionary<ActivityType, string[]> ActivitySubjects = new()
    {
        [ActivityType.Call] = ["Llamada del cliente", "Devolver la llamada", "Confirmar datos por teléfono", "Seguimiento telefónico"],
        [ActivityType.Task] = ["Enviar presupuesto", "Revisar la factura", "Pedir la pieza", "Comprobar la instalación"],
        [ActivityType.Appointment] = ["Visita técnica", "Reunión con el cliente", "Instalación en el domicilio"],
    };

    private T Pick<T>(IReadOnlyList<T> items) => items[_faker.Random.Int(0, items.Count - 1)];

    private CaseStatus PickStatus() => _faker.Random.WeightedRandom(
        [CaseStatus.New, CaseStatus.InProgress, CaseStatus.OnHold, CaseStatus.Resolved, CaseStatus.Closed, CaseStatus.Cancelled],
        [0.15f, 0.20f, 0.05f, 0.35f, 0.20f, 0.05f]);

    private static async Task<int> NextIdAsync(IQueryable<int> ids) => (await ids.MaxAsync(i => (int?)i) ?? 0) + 1;

    private static async Task FinishAsync(CrmDbContext db)
    {
        if (db.Database.IsNpgsql())
        {
            // Rows came with explicit ids: move each identity past them so the app's inserts do not collide.
            // The table names are constants, not input.
            foreach (var sql in new[] { "Accounts", "Contacts", "Cases", "Activities", "EmailMessages" }.Select(t =>
                         "SELECT setval(pg_get_serial_sequence('\"" + t + "\"', 'Id'), (SELECT MAX(\"Id\") FROM \"" + t + "\"))"))
            {
                await db.Database.ExecuteSqlRawAsync(sql);
            }

            await db.Database.ExecuteSqlRawAsync("VACUUM (ANALYZE)");
        }
        else if (db.Database.IsSqlite())
        {
            // SQLite moves AUTOINCREMENT past explicit ids by itself; the planner needs statistics to choose indexes.
            await db.Database.ExecuteSqlRawAsync("ANALYZE");
            // The load ran without a journal; the app runs in WAL mode (DbInitializer).
            await db.Database.ExecuteSqlRawAsync("PRAGMA journal_mode = WAL");
        }
        else
        {
            await db.Database.ExecuteSqlRawAsync("UPDATE STATISTICS \"Accounts\"; UPDATE STATISTICS \"Contacts\"; UPDATE STATISTICS \"Cases\"; UPDATE STATISTICS \"Activities\"; UPDATE STATISTICS \"EmailMessages\";");
        }
    }

    private static string Slug(string text) =>
        new([.. SearchText.Fold(text).Where(char.IsAsciiLetterOrDigit)]);

    private static void Check(IdentityResult result)
    {
        if (!result.Succeeded)
        {
            throw new GeneratorException(string.Join("; ", result.Errors.Select(e => e.Description)));
        }
    }
}
