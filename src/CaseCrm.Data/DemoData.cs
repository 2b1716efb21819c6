using CaseCrm.Data.Cases;
using CaseCrm.Data.Identity;
using CaseCrm.Domain.Accounts;
using CaseCrm.Domain.Cases;
using CaseCrm.Domain.Contacts;
using CaseCrm.Domain.Email;
using Microsoft.AspNetCore.Identity;
using Microsoft.EntityFrameworkCore;

namespace CaseCrm.Data;

/// <summary>The demo accounts, contacts and cases, including a parent with children (the seed's gas and electricity example).</summary>
internal static class DemoData
{
    public static async Task SeedAsync(CrmDbContext db, UserManager<AppUser> users, DateTime now, CancellationToken ct)
    {
        if (await db.Accounts.AnyAsync(ct))
        {
            return;
        }

        var agent = await users.FindByEmailAsync(DbInitializer.DemoUsers[0].Email) ?? throw new InvalidOperationException("Demo agent missing.");
        var categories = await db.Categories.ToDictionaryAsync(c => c.Name, c => c.Id, ct);

        var accounts = new[]
        {
            new Account(new AccountDetails("Energía del Sur S.A.", "A-28000001", "+34 910 000 001", "contacto@energiadelsur.test", "https://energiadelsur.test", "Calle Mayor 1, Madrid"), null, now),
            new Account(new AccountDetails("Telecomunicaciones Río de la Plata", "30-71000002-3", "+54 11 4000 0002", "soporte@rioplata.test", null, "Av. Corrientes 1234, Buenos Aires"), null, now),
            new Account(new AccountDetails("Panadería Núñez", "NUÑ-850101", "+52 55 5000 0003", null, null, "Insurgentes Sur 45, Ciudad de México"), null, now),
            new Account(new AccountDetails("Clínica Santa Lucía", "900123456-7", "+57 1 600 0004", "info@santalucia.test", null, null), null, now),
        };
        db.Accounts.AddRange(accounts);
        await db.SaveChangesAsync(ct);

        var people = new (string First, string Last, string Email, string Phone, string Job, Account? Account)[]
        {
            ("María José", "García Pérez", "mjgarcia@energiadelsur.test", "+34 600 111 222", "Jefa de compras", accounts[0]),
            ("José", "Martínez", "jmartinez@energiadelsur.test", "+34 600 333 444", "Técnico", accounts[0]),
            ("Lucía", "Fernández", "lucia.fernandez@rioplata.test", "+54 9 11 5555 6666", "Gerente", accounts[1]),
            ("Martín", "Gómez", "mgomez@rioplata.test", "+54 9 11 7777 8888", "Administrador de red", accounts[1]),
            ("Ramón", "Núñez", "ramon@panaderianunez.test", "+52 55 1234 5678", "Dueño", accounts[2]),
            ("Sofía", "Ibáñez", "sofia.ibanez@santalucia.test", "+57 300 123 4567", "Coordinadora", accounts[3]),
            ("Andrés", "López", "andres.lopez@correo.test", "+34 611 222 333", "Particular", null),
            ("Carmen", "Ruiz", "carmen.ruiz@correo.test", "+34 622 333 444", "Particular", null),
        };
        var contacts = people
            .Select(p => new Contact(new ContactDetails(p.First, p.Last, p.Email, p.Phone, null, p.Job, p.Account?.Id), p.Account?.Name, null, now))
            .ToArray();
        db.Contacts.AddRange(contacts);
        await db.SaveChangesAsync(ct);

        // The service levels first, so that the demo cases are given their due times as the app gives them.
        var calendars = DemoServiceLevels.Calendars();
        db.ServiceCalendars.AddRange(calendars);
        await db.SaveChangesAsync(ct);
        db.ServicePolicies.AddRange(DemoServiceLevels.Policies(calendars[0].Id));
        await db.SaveChangesAsync(ct);

        var references = new CaseReferences(CategoryIsActive: true, AccountExists: true);
        CaseFields Fields(Contact contact, string title, string category, CasePriority? priority, string description, CaseOrigin? origin) =>
            new(title, contact.AccountId, categories[category], priority, description, null, origin);
        Case Open(Contact contact, string title, string category, CasePriority? priority, string description, CaseOrigin? origin) =>
            new(contact.Id, Fields(contact, title, category, priority, description, origin), CaseStatus.New, references, agent.Id, now);

        var parent = Open(contacts[0], "Alta de suministro de gas y electricidad", "Solicitud", CasePriority.High,
            "La clienta pide nuevas conexiones de gas y electricidad para su local.", CaseOrigin.Phone);
        var others = new[]
        {
            Open(contacts[2], "Sin conexión a internet desde ayer", "Incidencia", CasePriority.Urgent, "La oficina central no tiene conexión.", CaseOrigin.Email),
            Open(contacts[3], "Consulta sobre la factura de octubre", "Consulta", CasePriority.Normal, "No entiende el cargo adicional.", CaseOrigin.Web),
            Open(contacts[4], "Reclamo por corte de servicio", "Reclamo", CasePriority.High, "Tres cortes en la última semana.", CaseOrigin.Phone),
            Open(contacts[5], "Solicitud de cambio de titular", "Solicitud", CasePriority.Low, "Cambiar el titular del contrato.", CaseOrigin.Chat),
            Open(contacts[6], "Pregunta sobre tarifas", "Consulta", null, "Quiere comparar tarifas.", null),
            Open(contacts[7], "Medidor dañado", "Incidencia", CasePriority.Normal, "El medidor no muestra lecturas.", CaseOrigin.Phone),
        };
        db.Cases.Add(parent);
        db.Cases.AddRange(others);
        await SaveWithHistoryAsync(db, now, ct);

        var settings = new ParentChildSettings();
        var gas = Case.CreateChildOf(parent, Fields(contacts[0], "Conexión de gas", "Solicitud", CasePriority.High,
            "Departamento de gas: instalar la acometida.", CaseOrigin.Phone), CaseStatus.New, settings, references, agent.Id, now);
        var power = Case.CreateChildOf(parent, Fields(contacts[0], "Conexión eléctrica", "Solicitud", CasePriority.High,
            "Departamento eléctrico: instalar el contador.", CaseOrigin.Phone), CaseStatus.New, settings, references, agent.Id, now);
        db.Cases.AddRange(gas, power);
        others[1].Resolve("Se explicó el cargo por reconexión.", agent.Id, now);
        await SaveWithHistoryAsync(db, now, ct);

        foreach (var (name, subject, body) in new[]
        {
            ("Acuse de recibo", "Hemos recibido su mensaje",
                "Hola {contacto.nombre}:\n\nHemos recibido su mensaje y abierto el caso {caso.numero} («{caso.titulo}»). Le responderemos lo antes posible; si nos escribe de nuevo, conserve el número en el asunto.\n\nEquipo de soporte"),
            ("Solicitar más datos", "Necesitamos más información",
                "Hola {contacto.nombre}:\n\nPara avanzar con su caso {caso.numero} necesitamos que nos indique el número de contrato y una foto o captura del problema.\n\nUn saludo,\n{agente.nombre}"),
            ("Caso resuelto", "Su caso está resuelto",
                "Hola {contacto.nombre}:\n\nHemos resuelto su caso {caso.numero} («{caso.titulo}»). Si el problema vuelve a aparecer, responda a este mensaje en los próximos días y lo reabriremos.\n\nUn saludo,\n{agente.nombre}"),
        })
        {
            var reply = new QuickReply();
            reply.Update(name, subject, body);
            db.QuickReplies.Add(reply);
        }

        await db.SaveChangesAsync(ct);
    }

    /// <summary>Saves, then writes the history entries the app writes for the same changes (creation, parent, status), with the service-level clocks.</summary>
    private static async Task SaveWithHistoryAsync(CrmDbContext db, DateTime now, CancellationToken ct)
    {
        await ServiceLevelClock.FollowAsync(db, now, ct);
        var history = CaseUnitOfWork.CaptureHistory(db, now);
        await db.SaveChangesAsync(ct);
        db.CaseHistory.AddRange(history.SelectMany(entries => entries()));
        await db.SaveChangesAsync(ct);
    }
}
