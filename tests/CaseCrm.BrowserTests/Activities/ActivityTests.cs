using System.Globalization;
using System.Text.RegularExpressions;
using CaseCrm.BrowserTests.Infrastructure;
using Microsoft.Playwright;
using Xunit;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace CaseCrm.BrowserTests.Activities;

/// <summary>
/// Activities (issue 16), through the real UI only: a call logged from the contact list in three clicks and from a case,
/// a task completed from Servicio → Actividades, an appointment in the calendar's week (navigated by keyboard), and the
/// resolve form's warning about open activities. Each test works on a demo contact no other browser test uses, and on
/// cases and activities it creates itself (their titles and subjects carry a random tag).
/// </summary>
public sealed partial class ActivityTests(BrowserFixture fixture, ITestOutputHelper output) : BrowserTest(fixture, output)
{
    [Fact]
    public Task LogCall_FromTheContactListMenu_InThreeClicks_AndFromACase() => RunAsync(async () =>
    {
        const string contact = "Ramón Núñez";
        var tag = TestData.NewTag();
        // Only this test works on Ramón Núñez, so the subjects need no tag (and read well in the README's picture).
        const string contactCall = "Confirma el pedido de la semana";
        const string caseCall = "Revisamos juntos la temperatura del horno";
        await SignInAsync(DemoUsers.Agent);
        await OpenContactListAsync("Núñez");
        var row = Page.ContactRow(contact);

        // ⋮ (1) → Registrar llamada (2) → type the subject → Guardar (3).
        var trail = new ClickTrail();
        await trail.ClickAsync("⋮", row.GetByTitle("Acciones", new() { Exact = true }));
        await trail.ClickAsync("Registrar llamada", row.GetByRole(AriaRole.Menuitem, new() { Name = "Registrar llamada", Exact = true }));
        await Expect(Page.Heading()).ToHaveTextAsync("Registrar llamada");
        await Expect(Page.RegardingCurrent()).ToHaveTextAsync($"Contacto: {contact}");
        await Expect(Page.ActivityField("Teléfono")).ToHaveValueAsync("+52 55 1234 5678");
        await Expect(Page.ActivityField("Dirección").Locator("option:checked")).ToHaveTextAsync("Saliente");
        await Page.ActivityField("Asunto").FillAsync(contactCall);
        await trail.ClickAsync("Guardar", Page.SaveButton());
        await Page.ExpectActivityCreatedAsync(contactCall);
        await Expect(Page).ToHaveURLAsync(ContactListUrl());
        Assert.Equal(["⋮", "Registrar llamada", "Guardar"], trail.Steps);
        Assert.True(trail.Steps.Count <= 3, $"Logging a call took {trail.Steps.Count} clicks: {string.Join(" → ", trail.Steps)}.");

        // The contact's "Actividades" tab lists the call, regarding the contact.
        await Page.OpenContactFromListAsync(contact);
        await Page.OpenActivitiesTabAsync();
        var contactRow = Page.Locator("#contact-activity-list").ActivityRow(contactCall);
        await Expect(contactRow).ToHaveCountAsync(1);
        await Expect(contactRow.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync("Llamada");
        await Expect(contactRow.GetByRole(AriaRole.Cell).Nth(2)).ToContainTextAsync(contact);

        // From a case of the contact: "Registrar llamada" in its "Actividad" section, back on the case, in the timeline.
        var item = await AddCaseAsync(contact, $"El horno industrial no calienta {tag}");
        await Page.OpenCaseAsync(item);
        await Page.Locator("#case-log-call").ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Registrar llamada");
        await Expect(Page.RegardingCurrent()).ToContainTextAsync(item.Number);
        await Page.ActivityField("Asunto").FillAsync(caseCall);
        await Page.ActivityField("Duración").FillAsync("7");
        await Page.SaveButton().ClickAsync();
        await Page.ExpectActivityCreatedAsync(caseCall);
        await Expect(Page).ToHaveURLAsync(new Regex($"/Cases/{item.Id}$"));
        var entry = Page.TimelineActivity(caseCall);
        await Expect(entry).ToHaveCountAsync(1);
        await Expect(entry).ToContainTextAsync("Llamada");
        await Expect(entry).ToContainTextAsync("Ana Agente");
        await Expect(entry).ToContainTextAsync("Abierta");
        // With a comment, newest first; the filter "Comentarios" shows only the comment, "Actividades" only the call.
        await Page.GetByLabel("Nuevo comentario", new() { Exact = true }).FillAsync("El cliente enviará una foto de la placa del horno.");
        await Page.GetByRole(AriaRole.Button, new() { Name = "Agregar comentario", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Se agregó el comentario.");
        var timeline = Page.Locator("#timeline > li");
        await Expect(timeline).ToHaveCountAsync(2);
        await Expect(timeline.Nth(0)).ToHaveAttributeAsync("data-comment-id", new Regex(@"^\d+$"));
        await Expect(timeline.Nth(1)).ToHaveAttributeAsync("data-activity-id", new Regex(@"^\d+$"));
        var filter = Page.Locator("#timeline-filter");
        await filter.GetByRole(AriaRole.Link, new() { Name = "Comentarios", Exact = true }).ClickAsync();
        await Expect(timeline).ToHaveCountAsync(1);
        await Expect(Page.TimelineActivity(caseCall)).ToHaveCountAsync(0);
        await filter.GetByRole(AriaRole.Link, new() { Name = "Actividades", Exact = true }).ClickAsync();
        await Expect(timeline).ToHaveCountAsync(1);
        await Expect(Page.TimelineActivity(caseCall)).ToHaveCountAsync(1);
        // For the README's picture the jump to the section is instant (Bootstrap scrolls smoothly unless motion is reduced).
        await Page.EmulateMediaAsync(new() { ReducedMotion = ReducedMotion.Reduce });
        await filter.GetByRole(AriaRole.Link, new() { Name = "Todo", Exact = true }).ClickAsync();
        await Expect(timeline).ToHaveCountAsync(2);
        await Expect(Page.Locator("#comments")).ToBeInViewportAsync();
        await SaveDocsScreenshotAsync("case-timeline.png");

        // The contact's tab shows its case's call too, regarding the case.
        await OpenContactListAsync("Núñez");
        await Page.OpenContactFromListAsync(contact);
        await Page.OpenActivitiesTabAsync();
        var list = Page.Locator("#contact-activity-list");
        await Expect(list.ActivityRow(contactCall)).ToHaveCountAsync(1);
        await Expect(list.ActivityRow(caseCall).GetByRole(AriaRole.Cell).Nth(2)).ToContainTextAsync(item.Number);
    });

    [Fact]
    public Task Task_CreatedFromServicioActividades_ShowsUnderUpcoming_AndCompletes() => RunAsync(async () =>
    {
        var subject = $"Enviar el presupuesto revisado {TestData.NewTag()}";
        // Three days ahead is "Próximas" in any time zone the user may have.
        var due = DateTime.Now.Date.AddDays(3).AddHours(12);
        await SignInAsync(DemoUsers.Agent);

        // Servicio → Actividades → Nueva tarea, with a due date and a priority.
        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Actividades", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Actividades");
        await Page.GetByRole(AriaRole.Link, new() { Name = "Nueva tarea", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Nueva tarea");
        await Page.ActivityField("Asunto").FillAsync(subject);
        await Page.ActivityField("Vencimiento").FillAsync(ActivityUi.LocalInput(due));
        await Page.ActivityField("Prioridad").SelectOptionAsync(new SelectOptionValue { Label = "Alta" });
        await Page.SaveButton().ClickAsync();
        await Page.ExpectActivityCreatedAsync(subject);
        await Expect(Page.Heading()).ToHaveTextAsync("Actividades");

        // Not overdue, not today: upcoming.
        var views = Page.GetByRole(AriaRole.Navigation, new() { Name = "Vistas de actividades", Exact = true });
        await OpenViewAsync(views, "Vencidas");
        await Expect(ListRow(subject)).ToHaveCountAsync(0);
        await OpenViewAsync(views, "Hoy");
        await Expect(ListRow(subject)).ToHaveCountAsync(0);
        await OpenViewAsync(views, "Próximas");
        var row = ListRow(subject);
        await Expect(row).ToHaveCountAsync(1);
        await Expect(row.GetByRole(AriaRole.Cell).Nth(0)).ToHaveTextAsync("Tarea");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(3)).ToContainTextAsync(due.ToString("HH:mm", CultureInfo.InvariantCulture));
        await Expect(row.GetByRole(AriaRole.Cell).Nth(4)).ToHaveTextAsync("Alta");
        await Expect(row.GetByRole(AriaRole.Cell).Nth(5)).ToHaveTextAsync("Abierta");

        // "Completar" in its row: the list stays on "Próximas", which no longer shows it.
        await row.GetByRole(AriaRole.Button, new() { Name = $"Completar «{subject}»", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync("Actividad completada.");
        await Expect(views.GetByRole(AriaRole.Link, new() { Name = "Próximas", Exact = true })).ToHaveAttributeAsync("aria-current", "page");
        await Expect(ListRow(subject)).ToHaveCountAsync(0);

        // "Todas" shows it "Completada", and so does its own page, which offers "Reabrir" instead of "Completar".
        await OpenViewAsync(views, "Todas");
        await Expect(ListRow(subject).GetByRole(AriaRole.Cell).Nth(5)).ToHaveTextAsync("Completada");
        await Expect(ListRow(subject).GetByRole(AriaRole.Button)).ToHaveCountAsync(0);
        await ListRow(subject).GetByRole(AriaRole.Link, new() { Name = subject, Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Tarea");
        await Expect(Page.ActivityStatus()).ToHaveTextAsync("Completada");
        await Expect(Page.ActivityField("Asunto")).ToBeDisabledAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Reabrir", Exact = true })).ToBeVisibleAsync();
        await Expect(Page.GetByRole(AriaRole.Button, new() { Name = "Completar", Exact = true })).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Appointment_ShowsOnItsDayOfTheWeek_AndTheWeeksChangeByKeyboard() => RunAsync(async () =>
    {
        var subject = $"Visita a la oficina de Bogotá {TestData.NewTag()}";
        await SignInAsync(DemoUsers.Agent);
        await Page.SideMenu().GetByRole(AriaRole.Link, new() { Name = "Calendario", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Calendario");
        await Expect(Page.Locator("ol.calendar-week > li.calendar-day")).ToHaveCountAsync(7);

        // Today as the calendar sees it (the user's time zone); the appointment is the same weekday of next week.
        var todayCell = Page.Locator("li.calendar-day").Filter(new() { Has = Page.Locator(".badge", new() { HasText = "Hoy" }) });
        await Expect(todayCell).ToHaveCountAsync(1);
        var today = DateOnly.ParseExact(await todayCell.GetAttributeAsync("data-date") ?? string.Empty, "yyyy-MM-dd", CultureInfo.InvariantCulture);
        var day = today.AddDays(7);
        var calendarUrl = Page.Url;

        await Page.GetByRole(AriaRole.Link, new() { Name = "Nueva cita", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Nueva cita");
        await Page.ActivityField("Asunto").FillAsync(subject);
        await Page.ActivityField("Inicio").FillAsync(ActivityUi.LocalInput(day.ToDateTime(new TimeOnly(10, 0))));
        await Page.ActivityField("Fin").FillAsync(ActivityUi.LocalInput(day.ToDateTime(new TimeOnly(11, 30))));
        await Page.ActivityField("Ubicación").FillAsync("Calle 93 #11-27, Bogotá");
        await Page.SaveButton().ClickAsync();
        await Page.ExpectActivityCreatedAsync(subject);
        await Expect(Page).ToHaveURLAsync(calendarUrl);

        // This week does not show it; the next one does, on its day, with its times.
        var appointment = Page.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true });
        await Expect(appointment).ToHaveCountAsync(0);
        await TabToAndEnterAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Semana siguiente", Exact = true }));
        await Expect(Page).ToHaveURLAsync(new Regex($"date={today.AddDays(7):yyyy-MM-dd}"));
        var dayCell = Page.Locator($"li.calendar-day[data-date='{day:yyyy-MM-dd}']");
        await Expect(dayCell).ToHaveCountAsync(1);
        await Expect(dayCell.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true })).ToBeVisibleAsync();
        await Expect(dayCell).ToContainTextAsync("10:00–11:30");
        await Expect(Page.Locator("li.calendar-day").Filter(new() { Has = Page.GetByRole(AriaRole.Link, new() { Name = subject, Exact = true }) })).ToHaveCountAsync(1);
        await Expect(todayCell).ToHaveCountAsync(0);

        // Back by keyboard: this week again, with today and without the appointment.
        await TabToAndEnterAsync(Page.GetByRole(AriaRole.Link, new() { Name = "Semana anterior", Exact = true }));
        await Expect(Page).ToHaveURLAsync(new Regex($"date={today:yyyy-MM-dd}"));
        await Expect(todayCell).ToHaveCountAsync(1);
        await Expect(appointment).ToHaveCountAsync(0);
    });

    [Fact]
    public Task Resolve_WithAnOpenTask_WarnsAndRefuses_UntilTheTaskIsCancelledWithTheCase() => RunAsync(async () =>
    {
        const string contact = "Carmen Ruiz";
        var tag = TestData.NewTag();
        var task = $"Devolver la llamada con el número de envío {tag}";
        await SignInAsync(DemoUsers.Agent);
        await OpenContactListAsync("Ruiz");
        await Page.OpenContactFromListAsync(contact);
        var item = await AddCaseAsync(contact, $"El paquete no llegó a su destino {tag}");

        // An open task on the case, from its "Actividad" section.
        await Page.OpenCaseAsync(item);
        await Page.Locator("#case-new-task").ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Nueva tarea");
        await Expect(Page.RegardingCurrent()).ToContainTextAsync(item.Number);
        await Page.ActivityField("Asunto").FillAsync(task);
        await Page.ActivityField("Vencimiento").FillAsync(ActivityUi.LocalInput(DateTime.Now.Date.AddDays(2).AddHours(9)));
        await Page.SaveButton().ClickAsync();
        await Page.ExpectActivityCreatedAsync(task);
        await Expect(Page.TimelineActivity(task)).ToContainTextAsync("Abierta");

        // "Resolver": the form warns about the open task, the box unticked.
        await Page.CaseCommands().GetByRole(AriaRole.Link, new() { Name = "Resolver", Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync($"Resolver el caso {item.Number}");
        var warning = Page.Locator("#closure-activities");
        await Expect(warning).ToContainTextAsync("Este caso tiene 1 actividades abiertas.");
        var cancelThem = warning.GetByLabel("Cancelar también las 1 actividades abiertas", new() { Exact = true });
        await Expect(cancelThem).Not.ToBeCheckedAsync();
        var form = Page.Locator("#close-form");
        await form.GetByLabel("Resolución").FillAsync("Se localizó el paquete y se entregó al día siguiente.");

        // Without the box: refused, said why, and the case stays open.
        await form.GetByRole(AriaRole.Button, new() { Name = "Resolver", Exact = true }).ClickAsync();
        await Expect(form.Locator(".alert-error")).ToContainTextAsync($"El caso {item.Number} tiene 1 actividades abiertas");
        await Expect(Page.Heading()).ToHaveTextAsync($"Resolver el caso {item.Number}");
        await Page.OpenCaseAsync(item);
        await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Nuevo");
        await Expect(Page.TimelineActivity(task)).ToContainTextAsync("Abierta");

        // With the box: resolved, and the task cancelled with it.
        await Page.CaseCommands().GetByRole(AriaRole.Link, new() { Name = "Resolver", Exact = true }).ClickAsync();
        await form.GetByLabel("Resolución").FillAsync("Se localizó el paquete y se entregó al día siguiente.");
        await cancelThem.CheckAsync();
        await form.GetByRole(AriaRole.Button, new() { Name = "Resolver", Exact = true }).ClickAsync();
        await Expect(Page.FlashMessage()).ToHaveTextAsync($"Se resolvió el caso {item.Number}.");
        await Page.OpenCaseAsync(item);
        await Expect(Page.CaseField("Estado")).ToHaveTextAsync("Resuelto");
        var entry = Page.TimelineActivity(task);
        await Expect(entry).ToContainTextAsync("Cancelada");
        await entry.GetByRole(AriaRole.Link, new() { Name = task, Exact = true }).ClickAsync();
        await Expect(Page.Heading()).ToHaveTextAsync("Tarea");
        await Expect(Page.ActivityStatus()).ToHaveTextAsync("Cancelada");
    });

    /// <summary>The contact list, narrowed to <paramref name="search"/> (the demo contact is on its first page whatever other tests add).</summary>
    private async Task OpenContactListAsync(string search)
    {
        await Page.GotoAsync($"/Contacts?q={Uri.EscapeDataString(search)}");
        await Expect(Page.Heading()).ToHaveTextAsync("Contactos");
    }

    /// <summary>From the contact's page: "Casos" tab → "Agregar Caso" → Guardar; the new case, by the number the flash names.</summary>
    private async Task<TestCase> AddCaseAsync(string contact, string title)
    {
        await Expect(Page.Heading()).ToHaveTextAsync(contact);
        await Page.OpenCasesTabAsync();
        await Page.ContactCases().GetByRole(AriaRole.Link, new() { Name = "Agregar Caso", Exact = true }).ClickAsync();
        await Page.ExpectCaseFormAsync(contact);
        await Page.FillCaseAsync(title, "Incidencia", "Caso abierto por la prueba de actividades.");
        await Page.SaveButton().ClickAsync();
        var number = await Page.ExpectCaseCreatedAsync();
        return new TestCase(int.Parse(number["CAS-".Length..], NumberStyles.None, CultureInfo.InvariantCulture), title);
    }

    private static async Task OpenViewAsync(ILocator views, string name)
    {
        var link = views.GetByRole(AriaRole.Link, new() { Name = name, Exact = true });
        await link.ClickAsync();
        await Expect(link).ToHaveAttributeAsync("aria-current", "page");
    }

    private ILocator ListRow(string subject) => Page.Locator("#activities").ActivityRow(subject);

    /// <summary>Presses Tab until <paramref name="target"/> has the focus (failing if it never does), then Enter.</summary>
    private async Task TabToAndEnterAsync(ILocator target)
    {
        for (var presses = 0; presses < 80; presses++)
        {
            await Page.Keyboard.PressAsync("Tab");
            if (await target.EvaluateAsync<bool>("e => e === document.activeElement"))
            {
                await Expect(target).ToBeFocusedAsync();
                await Page.Keyboard.PressAsync("Enter");
                return;
            }
        }

        Assert.Fail($"Tab never reached {target}.");
    }

    [GeneratedRegex(@"/Contacts(\?|$)")]
    private static partial Regex ContactListUrl();
}
