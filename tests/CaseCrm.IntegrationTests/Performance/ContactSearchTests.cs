using CaseCrm.Data;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Text;
using CaseCrm.IntegrationTests.Infrastructure;
using CaseCrm.Web.Features.Contacts;
using CaseCrm.Web.Infrastructure;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.IntegrationTests.Performance;

/// <summary>
/// The contact search (ADR 0009): a contact is found when every word typed starts one of its search terms (a word
/// of its name, email or account name, an email part, or a run of a phone's digits). On every provider the answer
/// equals the same test done in memory over the stored terms, the terms follow inserts, edits and deletes, pages
/// come in name order, and the search is served by the (Term, SortName, ContactId) index.
/// </summary>
public abstract class ContactSearchTests(DatabaseProvider provider) : DatabaseTest(provider)
{
    [Theory]
    [InlineData("zarzuela")]                 // a word of the last name
    [InlineData("zarz")]                     // the start of a word
    [InlineData("ramona zarzuela")]          // every word, in any order
    [InlineData("zarzuela ramo")]
    [InlineData("NÚÑEZ")]                    // accents and case folded
    [InlineData("nunez-prieto")]             // a hyphenated name whole
    [InlineData("prieto")]                   // and from its second part
    [InlineData("686123456")]                // the phone's digits
    [InlineData("+34 686 123 456")]          // as written
    [InlineData("(686) 123-456")]            // phone punctuation is dropped
    [InlineData("3456")]                     // its last digits
    [InlineData("r.zarzuela@lonja.test")]    // the whole email
    [InlineData("zarzuela@lonja")]           // from an email part
    [InlineData("@lonja.test zarz")]         // leading punctuation is dropped
    public async Task Search_FindsTheContactsWithATermStartingWithEveryWord(string typed)
    {
        var wanted = await ContactAsync("Ramona", "Zarzuela Núñez-Prieto", "r.zarzuela@lonja.test", "+34 686 123 456");
        var other = await ContactAsync("Ramón", "Pérez", "rperez@lonja.test", "+34 611 000 000");

        var found = await SearchAsync(typed);

        Assert.Contains(wanted.Id, found);
        Assert.DoesNotContain(other.Id, found);
        Assert.Equal(await ExpectedAsync(typed), found);
    }

    [Theory]
    [InlineData("arzuela")]                  // inside a word: not the start of one
    [InlineData("zarzuela ramos")]           // one word found, the other not
    [InlineData("lonja.tes")]                // "lonjas.test" does not start with it
    public async Task Search_IgnoresTextThatStartsNoTerm(string typed)
    {
        var contact = await ContactAsync("Ramona", "Zarzuela", "r.zarzuela@lonjas.test", null);

        var found = await SearchAsync(typed);

        Assert.DoesNotContain(contact.Id, found);
        Assert.Equal(await ExpectedAsync(typed), found);
    }

    [Theory]
    [InlineData("100%")]
    [InlineData("a_b")]
    [InlineData("comillas\"")]
    [InlineData("barra\\")]
    [InlineData("OR AND NOT")]
    [InlineData("x'); DROP TABLE \"Contacts\";--")]
    public async Task Search_PatternAndQueryCharactersMatchThemselves(string word)
    {
        var literal = await ContactAsync("Marta", "Literal " + word, null, null);
        var near = await ContactAsync("Marta", "Literal " + Near(word), null, null);

        var found = await SearchAsync(word);

        Assert.Contains(literal.Id, found);
        Assert.DoesNotContain(near.Id, found);
        Assert.Equal(await ExpectedAsync(word), found);
    }

    [Theory]
    [InlineData("ab𝔸")]          // ends inside the BMP's surrogates: the range is open and the start checked
    [InlineData("ab𝔸𝔹ℂ𝔻")]
    [InlineData("ab𝔸𝔹ℂ𝔻cd")]
    [InlineData("𝔹ℂ")]           // inside the word
    [InlineData("ab\uFFFF")]
    public async Task Search_HandlesCharactersOutsideTheBmp(string typed)
    {
        await ContactAsync("Símbolos", "ab𝔸𝔹ℂ𝔻cd", null, null);
        await ContactAsync("Símbolos", "ab\uFFFFz", null, null);

        Assert.Equal(await ExpectedAsync(typed), await SearchAsync(typed));
    }

    [Fact]
    public async Task Search_FollowsInsertsEditsAndDeletes()
    {
        var contact = await ContactAsync("Eulalia", "Quiroga", null, null);
        Assert.Equal([contact.Id], await SearchAsync("quiroga"));

        await using (var db = Database.NewContext())
        {
            var tracked = await db.Contacts.Include(c => c.SearchTerms).SingleAsync(c => c.Id == contact.Id);
            tracked.Update(tracked.Details with { LastName = "Valdivieso" }, "Ferretería Quillota", DateTime.UtcNow);
            await db.SaveChangesAsync();
        }

        Assert.Empty(await SearchAsync("quiroga"));
        Assert.Equal([contact.Id], await SearchAsync("valdivieso"));
        Assert.Equal([contact.Id], await SearchAsync("quillota eulalia"));
        await using (var db = Database.NewContext())
        {
            Assert.All(await db.ContactSearchTerms.Where(t => t.ContactId == contact.Id).ToListAsync(), t => Assert.Equal("valdivieso eulalia", t.SortName));
            await db.Contacts.Where(c => c.Id == contact.Id).ExecuteDeleteAsync();
            Assert.False(await db.ContactSearchTerms.AnyAsync(t => t.ContactId == contact.Id));
        }

        Assert.Empty(await SearchAsync("valdivieso"));
    }

    [Fact]
    public async Task RefreshSearchText_RefusesAStoredContactReadWithoutItsTerms()
    {
        var contact = await ContactAsync("Eulalia", "Quiroga", null, null);
        await using var db = Database.NewContext();
        var tracked = await db.Contacts.SingleAsync(c => c.Id == contact.Id);

        Assert.Throws<InvalidOperationException>(() => tracked.RefreshSearchText(null));
    }

    [Fact]
    public async Task List_PagesInNameOrderEachContactOnce()
    {
        var word = "tocayo" + Guid.NewGuid().ToString("N")[..8];
        var ids = new List<int>();
        for (var i = 0; i < 30; i++)
        {
            // The word is in the last name and starts the email too: the contact must still come once.
            var contact = await ContactAsync($"Nombre{i % 7}", $"{word} Apellido{(i * 11) % 30:D2}", $"{word}.{i}@correo.test", null);
            ids.Add(contact.Id);
        }

        await using var db = Database.NewContext();
        var expected = await db.Contacts.Where(c => ids.Contains(c.Id)).OrderBy(c => c.SortName).ThenBy(c => c.Id).Select(c => c.Id).ToListAsync();
        var queries = new ContactQueries(db);
        var first = await queries.ListAsync(word, new SortOrder("name", false), 1, Paging.Size, CancellationToken.None);
        var second = await queries.ListAsync(word, new SortOrder("name", false), 2, Paging.Size, CancellationToken.None);
        var descending = await queries.ListAsync(word, new SortOrder("name", true), 1, Paging.Size, CancellationToken.None);
        var byEmail = await queries.ListAsync(word, new SortOrder("email", false), 1, Paging.Size, CancellationToken.None);

        Assert.True(first.HasNext);
        Assert.False(second.HasNext);
        Assert.Equal(expected, [.. first.Items.Select(r => r.Id), .. second.Items.Select(r => r.Id)]);
        Assert.Equal(expected.AsEnumerable().Reverse().Take(Paging.Size), descending.Items.Select(r => r.Id));
        Assert.Equal(Paging.Size, byEmail.Items.Count);
        Assert.Equal(byEmail.Items.Count, byEmail.Items.Select(r => r.Id).Distinct().Count());
    }

    [Fact]
    public async Task List_IsServedByTheSearchTermIndex()
    {
        await ContactAsync("Indalecio", "Prado", null, null);
        var capture = new QueryPlan.LastCommand();
        await using var db = QueryPlan.Context(Database, capture);
        await db.Database.OpenConnectionAsync();
        await QueryPlan.ForbidScansAsync(db);

        await new ContactQueries(db).ListAsync("prado indalecio", new SortOrder("name", false), 1, Paging.Size, CancellationToken.None);
        var plan = await capture.PlanAsync(db);

        Assert.Contains("IX_ContactSearchTerms_Term_SortName_ContactId", plan, StringComparison.Ordinal);
        if (Provider == DatabaseProvider.Sqlite)
        {
            // The terms' index holds everything the page needs, and the contacts are read by id.
            Assert.Contains("USING COVERING INDEX IX_ContactSearchTerms_Term_SortName_ContactId", plan, StringComparison.Ordinal);
            Assert.DoesNotContain("SCAN c ", plan + " ", StringComparison.Ordinal);
        }
    }

    private static string Near(string word) =>
        new string([.. word.Select(c => char.IsLetterOrDigit(c) || c == ' ' ? c : 'x')]).Replace("OR", "xR", StringComparison.Ordinal);

    private async Task<Contact> ContactAsync(string first, string last, string? email, string? phone)
    {
        await using var db = Database.NewContext();
        var now = DateTime.UtcNow;
        var contact = new Contact(new ContactDetails(first, last, email, phone, null, null, null), null, null, now);
        db.Contacts.Add(contact);
        await db.SaveChangesAsync();
        return contact;
    }

    private async Task<List<int>> SearchAsync(string typed)
    {
        await using var db = Database.NewContext();
        var words = SearchText.SearchWords(typed);
        return await db.ContactSearchTermsMatching(words).Select(t => t.ContactId).Distinct().OrderBy(id => id).ToListAsync();
    }

    /// <summary>What the search must answer: the same rule applied in memory to every stored term.</summary>
    private async Task<List<int>> ExpectedAsync(string typed)
    {
        await using var db = Database.NewContext();
        var words = SearchText.SearchWords(typed);
        var terms = await db.ContactSearchTerms.Select(t => new { t.ContactId, t.Term }).ToListAsync();
        return [.. terms.GroupBy(t => t.ContactId)
            .Where(g => words.All(w => g.Any(t => t.Term.StartsWith(w, StringComparison.Ordinal))))
            .Select(g => g.Key)
            .Order()];
    }

    public sealed class Sqlite() : ContactSearchTests(DatabaseProvider.Sqlite);

    public sealed class Postgres() : ContactSearchTests(DatabaseProvider.Postgres);
}
