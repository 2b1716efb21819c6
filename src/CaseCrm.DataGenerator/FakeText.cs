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
