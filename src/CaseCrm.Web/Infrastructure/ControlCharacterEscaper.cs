using System.Globalization;
using System.Text;
using Serilog.Core;
using Serilog.Events;

namespace CaseCrm.Web.Infrastructure;

/// <summary>
/// Replaces control characters (line breaks, tabs, escape sequences…) in every text property of a log event by
/// <c>\uXXXX</c>, so that what a user typed can never start a forged line in the console or any other sink.
/// </summary>
internal sealed class ControlCharacterEscaper : ILogEventEnricher
{
    public void Enrich(LogEvent logEvent, ILogEventPropertyFactory propertyFactory)
    {
        foreach (var (name, value) in logEvent.Properties.ToList())
        {
            if (Escape(value) is { } escaped)
            {
                logEvent.AddOrUpdateProperty(new LogEventProperty(name, escaped));
            }
        }
    }

    /// <summary>The value with its text escaped, or null when it holds no control character.</summary>
    private static LogEventPropertyValue? Escape(LogEventPropertyValue value)
    {
        switch (value)
        {
            case ScalarValue { Value: string text } when text.Any(NeedsEscape):
                return new ScalarValue(Escape(text));
            case SequenceValue sequence:
                {
                    var items = sequence.Elements.Select(e => Escape(e)).ToList();
                    return items.Any(i => i is not null)
                        ? new SequenceValue(sequence.Elements.Zip(items, (e, i) => i ?? e))
                        : null;
                }

            case StructureValue structure:
                {
                    var properties = structure.Properties.Select(p => (p, Escaped: Escape(p.Value))).ToList();
                    return properties.Any(p => p.Escaped is not null)
                        ? new StructureValue(properties.Select(p => p.Escaped is null ? p.p : new LogEventProperty(p.p.Name, p.Escaped)), structure.TypeTag)
                        : null;
                }

            case DictionaryValue dictionary:
                {
                    var entries = dictionary.Elements.Select(e => (e.Key, Value: Escape(e.Value) ?? e.Value, Changed: Escape(e.Value) is not null)).ToList();
                    return entries.Any(e => e.Changed)
                        ? new DictionaryValue(entries.Select(e => new KeyValuePair<ScalarValue, LogEventPropertyValue>(e.Key, e.Value)))
                        : null;
                }

            default:
                return null;
        }
    }

    // Besides the control characters, the Unicode line and paragraph separators also break lines in some viewers.
    private static bool NeedsEscape(char c) => char.IsControl(c) || c is '\u2028' or '\u2029';

    public static string Escape(string text)
    {
        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                builder.Append(CultureInfo.InvariantCulture, $"\\u{(int)c:X4}");
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }
}
