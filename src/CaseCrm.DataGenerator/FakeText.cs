using Bogus;

namespace CaseCrm.DataGenerator;

/// <summary>The Spanish texts of generated rows: titles, descriptions, resolutions, job titles, mail domains.</summary>
internal sealed class FakeText(Faker faker)
{
    public string Title()
    {
        var subject = faker.PickRandom(Subjects);
        return faker.Random.Int(0, 3) switch
        {
            0 => subject,
            1 => $"{subject} {faker.PickRandom(Qualifiers)}",
            2 => $"{subject} en {faker.Address.City()}",
            _ => $"{subject}: {faker.Commerce.ProductName()}",
        };
    }

    public string Description() =>
        $"{faker.PickRandom(Openings)} {faker.PickRandom(Subjects).ToLowerInvariant()}. {faker.PickRandom(Details)} "
        + $"Referencia {faker.Random.AlphaNumeric(8).ToUpperInvariant()}.";

    /// <summary>A customer's message: a greeting, the problem, a detail and a signature, in paragraphs.</summary>
    public string CustomerEmail(string name) =>
        $"{faker.PickRandom(Greetings)}:\n\n{Description()}\n\n{faker.PickRandom(Details)} {faker.PickRandom(CustomerClosings)}\n\n{name}";

    /// <summary>An agent's answer to <paramref name="name"/>.</summary>
    public string AgentEmail(string name) =>
        $"Hola, {name.Split(' ')[0]}:\n\n{faker.PickRandom(AgentAnswers)} {faker.PickRandom(Resolutions)}\n\nUn saludo,\nEl equipo de soporte";

    /// <summary>The HTML part of a message with <paramref name="text"/>: one paragraph per block, the signature in bold.</summary>
    public static string Html(string text)
    {
        var blocks = text.Split("\n\n").Select(b => System.Net.WebUtility.HtmlEncode(b).Replace("\n", "<br>", StringComparison.Ordinal)).ToList();
        blocks[^1] = $"<strong>{blocks[^1]}</strong>";
        return string.Concat(blocks.Select(b => $"<p>{b}</p>"));
    }

    private static readonly string[] Greetings = ["Buenos días", "Hola", "Buenas tardes", "Estimados señores", "A quien corresponda"];

    private static readonly string[] CustomerClosings =
    [
        "Quedo a la espera de su respuesta.", "Gracias de antemano.", "Es urgente, por favor.", "Un saludo.", "Espero noticias pronto.",
    ];

    private static readonly string[] AgentAnswers =
    [
        "Gracias por escribirnos.", "Hemos revisado su consulta.", "Le confirmamos que hemos recibido la información.",
        "Disculpe las molestias.", "Tal como le comentamos por teléfono,",
    ];

    public static readonly string[] FreeMailDomains = ["correo.test", "email.test", "buzon.test", "mail.test"];

    public static readonly string[] JobTitles =
    [
        "Gerente", "Jefa de compras", "Jefe de compras", "Técnico", "Técnica de soporte", "Administrador de red", "Contable",
        "Directora financiera", "Director general", "Responsable de calidad", "Coordinadora", "Recepcionista", "Dueño", "Particular",
    ];

    private static readonly string[] Subjects =
    [
        "Sin conexión a internet", "Factura duplicada", "Cambio de titular", "Corte de suministro", "Medidor dañado", "Alta de servicio",
        "Baja de servicio", "Consulta de tarifas", "Reclamo por cobro indebido", "Portabilidad de línea", "Avería en el router",
        "Cambio de domicilio", "Solicitud de presupuesto", "Error en la aplicación", "Retraso en la entrega", "Contraseña bloqueada",
        "Lectura del contador", "Devolución de un pago", "Instalación pendiente", "Ruido en la línea", "Pedido incompleto",
        "Garantía del equipo", "Actualización de datos", "Queja sobre la atención", "Visita técnica",
    ];

    private static readonly string[] Qualifiers =
    [
        "desde ayer", "urgente", "de octubre", "de noviembre", "tras la tormenta", "(reincidente)", "en la oficina central",
        "del local comercial", "por segunda vez", "según el cliente",
    ];

    private static readonly string[] Openings =
    [
        "El cliente informa de", "La clienta llama por", "Se recibe un correo sobre", "Llega por el chat un caso de", "El contacto reclama por",
    ];

    private static readonly string[] Details =
    [
        "Pide una solución antes del viernes.", "Adjuntará fotos del equipo.", "Ya llamó la semana pasada.",
        "Prefiere que lo contacten por la tarde.", "Afecta a varias sedes.", "No es la primera vez que ocurre.",
    ];

    public static readonly string[] Resolutions =
    [
        "Se explicó el cargo al cliente.", "Se envió un técnico y quedó resuelto.", "Se corrigió la factura.",
        "Se restableció el servicio.", "Se reemplazó el equipo.", "El cliente confirmó que ya funciona.",
    ];
}
