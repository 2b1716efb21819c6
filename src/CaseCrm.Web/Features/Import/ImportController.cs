using System.Globalization;
using CaseCrm.Web.Infrastructure;
using CsvHelper;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.Localization;

namespace CaseCrm.Web.Features.Import;

/// <summary>Step 1: the file and what it holds.</summary>
public sealed class ImportUploadForm
{
    public ImportKind Kind { get; set; }
    public IFormFile? File { get; set; }
}

/// <summary>Step 2: the column of each field (its index in the file, empty for none) and the choices.</summary>
public sealed class ImportRunForm
{
    public ImportKind Kind { get; set; }
    public Dictionary<string, string?> Map { get; set; } = [];
    public ImportDuplicates Duplicates { get; set; }
    public ImportMode Mode { get; set; }
}

public sealed record ImportMapModel(string Token, ImportRunForm Form, ImportPreview Preview);

/// <summary>
/// Configuración → Importar (administrators): contacts or accounts from a CSV file, in three steps — upload, preview with
/// the column mapping and the choices, result with every refused row (docs/import-export.md).
/// </summary>
[Authorize(Policy = Policies.Administer)]
[Route("Import")]
public sealed class ImportController(ImportFiles files, ImportService service, CurrentUser me, IStringLocalizer<SharedResource> l) : Controller
{
    [HttpGet("")]
    public IActionResult Index() => View(new ImportUploadForm());

    [HttpPost("")]
    [RequestSizeLimit(ImportFiles.MaxBytes + (1024 * 1024))]
    [RequestFormLimits(MultipartBodyLengthLimit = ImportFiles.MaxBytes + (1024 * 1024))]
    public async Task<IActionResult> Index(ImportUploadForm form, CancellationToken ct)
    {
        if (!Enum.IsDefined(form.Kind))
        {
            ModelState.AddModelError(nameof(form.Kind), l["Import_KindRequired"]);
        }

        if (form.File is not { Length: > 0 } file)
        {
            ModelState.AddModelError(nameof(form.File), l["Import_FileRequired"]);
        }
        else if (file.Length > ImportFiles.MaxBytes)
        {
            ModelState.AddModelError(nameof(form.File), l["Import_FileTooLarge", ImportFiles.MaxBytes / (1024 * 1024)]);
        }

        if (!ModelState.IsValid)
        {
            return View(form);
        }

        await using var content = form.File!.OpenReadStream();
        var token = await files.SaveAsync(me.Id, content, ct);
        if (await PreviewAsync(token, ct) is null)
        {
            files.Delete(me.Id, token);
            ModelState.AddModelError(nameof(form.File), l["Import_NotCsv"]);
            return View(form);
        }

        return RedirectToAction(nameof(Map), new { token, kind = form.Kind });
    }

    [HttpGet("{token}")]
    public async Task<IActionResult> Map(string token, ImportKind kind, CancellationToken ct)
    {
        if (await PreviewAsync(token, ct) is not { } preview)
        {
            return NotFound();
        }

        kind = Enum.IsDefined(kind) ? kind : ImportKind.Contacts;
        var guessed = ImportService.Guess(kind, preview.Columns);
        var form = new ImportRunForm
        {
            Kind = kind,
            Map = ImportService.TargetsOf(kind).ToDictionary(
                t => t.Key, t => guessed.TryGetValue(t.Key, out var i) ? i.ToString(CultureInfo.InvariantCulture) : null),
        };
        return View(new ImportMapModel(token, form, preview));
    }

    [HttpPost("{token}")]
    public async Task<IActionResult> Map(string token, ImportRunForm form, CancellationToken ct)
    {
        var content = await files.ReadAsync(me.Id, token, ct);
        var preview = content is null ? null : ReadPreview(content);
        if (content is null || preview is null)
        {
            return NotFound();
        }

        form.Kind = Enum.IsDefined(form.Kind) ? form.Kind : ImportKind.Contacts;
        var map = new Dictionary<string, int>();
        foreach (var target in ImportService.TargetsOf(form.Kind))
        {
            if (form.Map.GetValueOrDefault(target.Key) is { Length: > 0 } text)
            {
                if (int.TryParse(text, NumberStyles.None, CultureInfo.InvariantCulture, out var index) && index < preview.Columns.Count)
                {
                    map[target.Key] = index;
                }
                else
                {
                    ModelState.AddModelError($"Map[{target.Key}]", l["Import_UnknownColumn"]);
                }
            }
        }

        var required = form.Kind == ImportKind.Accounts ? ["Name"] : new[] { "FirstName", "LastName" };
        if (!required.Any(map.ContainsKey))
        {
            ModelState.AddModelError($"Map[{required[0]}]", l[form.Kind == ImportKind.Accounts ? "Import_MapName" : "Import_MapContactName"]);
        }

        if (!Enum.IsDefined(form.Duplicates))
        {
            ModelState.AddModelError(nameof(form.Duplicates), l["Import_ChooseOne"]);
        }

        if (!Enum.IsDefined(form.Mode))
        {
            ModelState.AddModelError(nameof(form.Mode), l["Import_ChooseOne"]);
        }

        if (!ModelState.IsValid)
        {
            return View(new ImportMapModel(token, form, preview));
        }

        var result = await service.RunAsync(form.Kind, ImportFiles.Rows(content), map, form.Duplicates, form.Mode, me.Id, ct);
        files.Delete(me.Id, token);
        return View("Result", result);
    }

    private async Task<ImportPreview?> PreviewAsync(string token, CancellationToken ct) =>
        await files.ReadAsync(me.Id, token, ct) is { } content ? ReadPreview(content) : null;

    private static ImportPreview? ReadPreview(byte[] content)
    {
        try
        {
            return ImportFiles.Preview(content);
        }
        catch (Exception ex) when (ex is CsvFormatException or FormatException or InvalidOperationException)
        {
            return null;
        }
    }
}
