using System.Globalization;
using System.Net;
using System.Security.Cryptography.X509Certificates;
using System.Text.Encodings.Web;
using System.Text.Unicode;
using Microsoft.Extensions.WebEncoders;
using CaseCrm.Data;
using CaseCrm.Data.Identity;
using FluentValidation;
using Microsoft.AspNetCore.Authorization;
using Microsoft.AspNetCore.DataProtection;
using Microsoft.AspNetCore.HttpOverrides;
using Microsoft.AspNetCore.Identity;
using Microsoft.AspNetCore.Localization;
using Microsoft.AspNetCore.Mvc;
using Microsoft.AspNetCore.Mvc.Authorization;
using Microsoft.AspNetCore.Mvc.Razor;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;

namespace CaseCrm.Web.Infrastructure;

internal static class WebServiceCollectionExtensions
{
    public static readonly CultureInfo[] Cultures = [new("es"), new("en")];

    public static IServiceCollection AddCrmWeb(this IServiceCollection services, IConfiguration configuration, IWebHostEnvironment environment)
    {
        var signInOptions = configuration.GetSection("SignIn").Get<SignInOptions>() ?? new SignInOptions();
        services.AddSignInRateLimit(signInOptions);
        services.AddIdentity<AppUser, IdentityRole>(options =>
            {
                PasswordPolicy.Apply(options.Password);
                options.Lockout.MaxFailedAccessAttempts = signInOptions.MaxFailedAccessAttempts;
                options.Lockout.DefaultLockoutTimeSpan = signInOptions.LockoutDuration;
                options.Lockout.AllowedForNewUsers = true;
                options.User.RequireUniqueEmail = true;
                options.SignIn.RequireConfirmedAccount = false;
            })
            .AddEntityFrameworkStores<CrmDbContext>()
            .AddDefaultTokenProviders()
            .AddErrorDescriber<LocalizedIdentityErrorDescriber>()
            .AddClaimsPrincipalFactory<AppClaimsFactory>();

        // The API (/api) is authenticated by personal access tokens only, the pages by the sign-in cookie only (ADR 0027).
        Features.Api.ApiAuthentication.AddApiAuthentication(services, configuration);
        // The API's errors are application/problem+json (RFC 9457).
        services.AddProblemDetails();
        Features.Api.ApiDocument.AddApiDocument(services);

        // Signing out, a password change or disabling a user ends their other sessions at the next check.
        services.Configure<SecurityStampValidatorOptions>(o => o.ValidationInterval = TimeSpan.FromMinutes(1));
        services.ConfigureApplicationCookie(options =>
        {
            options.Cookie.Name = "CaseCrm.Auth";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Lax;
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.LoginPath = "/Account/Login";
            options.LogoutPath = "/Account/Logout";
            options.Events.OnRedirectToAccessDenied = context =>
            {
                // A refused action answers 403 in place (the status code page renders it), not a redirect.
                context.HttpContext.RequestServices.GetRequiredService<ILoggerFactory>().CreateLogger("CaseCrm.Security")
                    .LogWarning("Access denied to {User} for {Method} {Path}", context.HttpContext.User.Identity?.Name, context.Request.Method, context.Request.Path);
                context.Response.StatusCode = StatusCodes.Status403Forbidden;
                return Task.CompletedTask;
            };
        });
        services.AddAntiforgery(options =>
        {
            options.Cookie.Name = "CaseCrm.Antiforgery";
            options.Cookie.SecurePolicy = environment.IsDevelopment() ? CookieSecurePolicy.SameAsRequest : CookieSecurePolicy.Always;
        });

        // Behind a TLS-terminating proxy or load balancer, ForwardedHeaders:KnownProxies lists its addresses: requests
        // from them are taken as the client's scheme and address (X-Forwarded-Proto/-For), so HSTS and Request.IsHttps
        // work; headers from anyone else are ignored. Parsed here, so that a wrong address stops the start.
        if (KnownProxies(configuration) is { Count: > 0 } proxies)
        {
            services.Configure<ForwardedHeadersOptions>(o =>
            {
                o.ForwardedHeaders = ForwardedHeaders.XForwardedFor | ForwardedHeaders.XForwardedProto;
                o.KnownIPNetworks.Clear();
                o.KnownProxies.Clear();
                foreach (var proxy in proxies)
                {
                    o.KnownProxies.Add(proxy);
                }
            });
        }

        // Keys live in the database so that every instance can read every other instance's cookies and tokens; with
        // DataProtection:CertificatePath (a PFX file, DataProtection:CertificatePassword) they are stored encrypted,
        // so that reading the table is not enough to forge a sign-in cookie. DataProtection:PreviousCertificatePath
        // (and …Password) keeps the keys of a replaced certificate readable (docs/security.md).
        var keys = services.AddDataProtection().SetApplicationName("CaseCrm").PersistKeysToDbContext<CrmDbContext>();
        if (Certificate(configuration, "DataProtection:Certificate") is { } certificate)
        {
            X509Certificate2[] readable = Certificate(configuration, "DataProtection:PreviousCertificate") is { } previous ? [certificate, previous] : [certificate];
            keys.ProtectKeysWithCertificate(certificate).UnprotectKeysWithAnyCertificate(readable);
        }

        // No "Server: Kestrel" header: it tells a scanner what to try.
        services.Configure<Microsoft.AspNetCore.Server.Kestrel.Core.KestrelServerOptions>(o => o.AddServerHeader = false);

        services.AddLocalization(o => o.ResourcesPath = "Resources");
        services.AddSingleton<ResourceManagerStringLocalizerFactory>();
        services.AddSingleton<IStringLocalizerFactory, CachedStringLocalizerFactory>();
        services.Configure<RequestLocalizationOptions>(o =>
        {
            o.DefaultRequestCulture = new RequestCulture("es");
            o.SupportedCultures = Cultures;
            o.SupportedUICultures = Cultures;
            // The pages speak the language chosen in the top bar (a cookie); the API the request's Accept-Language.
            o.RequestCultureProviders = [new Features.Api.ApiCultureProvider(), new CookieRequestCultureProvider()];
        });

        services.AddControllersWithViews(options =>
            {
                options.Filters.Add(new AuthorizeFilter(new AuthorizationPolicyBuilder().RequireAuthenticatedUser().Build()));
                options.Filters.Add(new AutoValidateAntiforgeryTokenAttribute());
                options.Filters.Add<CrmExceptionFilter>();
                options.Filters.Add<NulFormFilter>();
                options.ModelBinderProviders.Insert(0, new BidiFreeStringBinderProvider());
                // Forms are validated by FluentValidation only; no hidden English "required" messages.
                options.SuppressImplicitRequiredAttributeForNonNullableReferenceTypes = true;
                // Ids in the route win over same-named form fields, so a forged field cannot retarget a post.
                var routeValues = options.ValueProviderFactories.OfType<Microsoft.AspNetCore.Mvc.ModelBinding.RouteValueProviderFactory>().Single();
                options.ValueProviderFactories.Remove(routeValues);
                options.ValueProviderFactories.Insert(0, routeValues);
            })
            // The API's enums are their names ("High", "InProgress"), which an integrator can read.
            .AddJsonOptions(o => o.JsonSerializerOptions.Converters.Add(new System.Text.Json.Serialization.JsonStringEnumConverter()))
            .AddViewOptions(o => o.HtmlHelperOptions.ClientValidationEnabled = false)
            .AddViewLocalization()
            .AddDataAnnotationsLocalization(o => o.DataAnnotationLocalizerProvider = (_, f) => f.Create(typeof(SharedResource)))
            .AddRazorOptions(o =>
            {
                o.ViewLocationFormats.Clear();
                o.ViewLocationFormats.Add("/Features/{1}/{0}.cshtml");
                o.ViewLocationFormats.Add("/Features/Shared/{0}.cshtml");
            });

        // A validator is built once where it can be (FluentValidation compiles each rule's expression as it is built: 0.12 ms
        // of every form POST when built per request); its messages are read in the request's language as it validates. A
        // validator that takes a request's services (the signed-in user) is built per request.
        services.AddValidatorsFromAssemblyContaining<SharedResource>(
            ServiceLifetime.Singleton, filter: v => !TakesRequestServices(v.ValidatorType), includeInternalTypes: true);
        services.AddValidatorsFromAssemblyContaining<SharedResource>(
            ServiceLifetime.Scoped, filter: v => TakesRequestServices(v.ValidatorType), includeInternalTypes: true);
        ValidatorOptions.Global.LanguageManager.Enabled = true;
        services.AddHealthChecks().AddDbContextCheck<CrmDbContext>("database");
        services.AddHttpContextAccessor();
        // Spanish text is written as it is, not as numeric character references (it is still HTML-encoded).
        services.Configure<WebEncoderOptions>(o => o.TextEncoderSettings = new TextEncoderSettings(UnicodeRanges.All));
        services.AddScoped<Features.Contacts.ContactQueries>();
        services.AddScoped<Features.Contacts.ContactWrites>();
        services.AddScoped<Features.Import.ImportService>();
        services.AddSingleton<Features.Import.ImportFiles>();
        services.AddScoped<Features.Accounts.AccountQueries>();
        services.AddScoped<Features.Accounts.AccountLookup>();
        services.AddScoped<Features.Accounts.AccountWrites>();
        services.AddScoped<Features.Cases.CaseQueries>();
        services.AddScoped<Features.CaseFamily.CaseFamilyQueries>();
        services.AddScoped<Features.CaseMerge.CaseMergeQueries>();
        services.AddScoped<Features.CaseWork.CaseWorkQueries>();
        services.AddScoped<Features.Activities.ActivityQueries>();
        services.AddScoped<Features.Calendar.CalendarQueries>();
        services.AddScoped<Features.Home.HomeQueries>();
        services.AddScoped<Features.Notifications.NotificationQueries>();
        services.AddScoped<Features.Reports.ReportQueries>();
        services.AddScoped<Features.SavedViews.SavedViewQueries>();
        services.AddScoped<CurrentUser>();
        services.Configure<Features.Mailboxes.EmailOptions>(configuration.GetSection("Email"));
        services.AddSingleton<Features.Mailboxes.MailboxSecrets>();
        services.AddScoped<Features.Mailboxes.MailboxReader>();
        services.AddSingleton<Features.Mailboxes.MailboxPoller>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Mailboxes.MailboxPoller>());
        services.AddSingleton<Features.Mailboxes.OutboxSender>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.Mailboxes.OutboxSender>());
        services.Configure<Features.ServiceLevels.ServiceLevelOptions>(configuration.GetSection("ServiceLevels"));
        services.AddSingleton<Features.ServiceLevels.ServiceLevelMonitor>();
        services.AddHostedService(sp => sp.GetRequiredService<Features.ServiceLevels.ServiceLevelMonitor>());
        services.AddScoped<Features.Email.EmailQueries>();
        services.AddAuthorization(Policies.Add);
        services.AddHybridCache();
        services.Configure<ReferenceDataOptions>(configuration.GetSection("ReferenceData"));
        services.Configure<Features.Home.HomeOptions>(configuration.GetSection("Home"));
        services.AddScoped<ReferenceData>();
        services.Configure<Domain.Cases.AttachmentLimits>(configuration.GetSection("Attachments"));
        services.AddSingleton<IConfigureOptions<MvcOptions>, LocalizedBindingMessages>();
        return services;
    }

    /// <summary>The PFX file named by <c>{prefix}Path</c>, opened with <c>{prefix}Password</c>; null when no path is set.</summary>
    private static X509Certificate2? Certificate(IConfiguration configuration, string prefix) =>
        configuration[prefix + "Path"] is { Length: > 0 } path
            ? X509CertificateLoader.LoadPkcs12FromFile(path, configuration[prefix + "Password"])
            : null;

    /// <summary>The addresses in <c>ForwardedHeaders:KnownProxies</c> (separated by commas, semicolons or spaces).</summary>
    public static IReadOnlyList<IPAddress> KnownProxies(IConfiguration configuration) =>
        [.. (configuration["ForwardedHeaders:KnownProxies"] ?? "")
            .Split([',', ';', ' '], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)
            .Select(a => IPAddress.TryParse(a, out var address)
                ? address
                : throw new InvalidOperationException($"ForwardedHeaders:KnownProxies: \"{a}\" is not an IP address."))];

    // The services a validator built once may take: the localizer and the clock, both built once themselves.
    private static bool TakesRequestServices(Type validator) =>
        validator.GetConstructors().SelectMany(c => c.GetParameters())
            .Any(p => p.ParameterType != typeof(IStringLocalizer<SharedResource>) && p.ParameterType != typeof(TimeProvider));
}
