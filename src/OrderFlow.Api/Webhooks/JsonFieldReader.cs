using System.Globalization;
using System.Text.Json;
using OrderFlow.Domain.Common;

namespace OrderFlow.Api.Webhooks;

/// <summary>
/// Reads typed fields out of a channel's order JSON and collects one error per bad field (named by its path, e.g.
/// "line_items[1].quantity must be an integer"), so a sender learns about every problem at once. Shared by the channel
/// mappers (Shopify, WooCommerce).
/// </summary>
public sealed class JsonFieldReader
{
    private readonly List<string> errors = [];

    public IReadOnlyList<string> Errors => errors;

    public bool HasErrors => errors.Count > 0;

    public void Add(string error) => errors.Add(error);

    /// <summary>True when an error about <paramref name="path"/> (or a field under it) was already reported.</summary>
    public bool Reported(string path) => errors.Any(e => e.StartsWith(path, StringComparison.Ordinal));

    /// <summary>A required id: a JSON integer or a non-empty string.</summary>
    public string? Id(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path} is required");
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt64(out var number))
        {
            return number.ToString(CultureInfo.InvariantCulture);
        }

        if (value.ValueKind == JsonValueKind.String && !string.IsNullOrWhiteSpace(value.GetString()))
        {
            return value.GetString();
        }

        errors.Add($"{path} must be an integer or a non-empty string");
        return null;
    }

    public string? RequiredString(JsonElement parent, string property, string path)
    {
        var value = OptionalString(parent, property, path);
        if (string.IsNullOrWhiteSpace(value) && !errors.Any(e => e.StartsWith(path + " ", StringComparison.Ordinal)))
        {
            errors.Add($"{path} is required");
            return null;
        }

        return value;
    }

    public string? OptionalString(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.String)
        {
            errors.Add($"{path} must be a string");
            return null;
        }

        return value.GetString();
    }

    public JsonElement? OptionalObject(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            errors.Add($"{path} must be an object");
            return null;
        }

        return value;
    }

    /// <summary>An array property: null (with an error when <paramref name="required"/>) when absent, an error when not an array.</summary>
    public JsonElement? Array(JsonElement parent, string property, string path, bool required)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{path} is required");
            }

            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            errors.Add($"{path} must be an array");
            return null;
        }

        return value;
    }

    /// <summary>
    /// The objects of an array property with their paths (<c>{property}[i]</c>): null as <see cref="Array"/> answers,
    /// and an error for each item that is not an object (left out).
    /// </summary>
    public IReadOnlyList<(JsonElement Item, string Path)>? Objects(JsonElement parent, string property, bool required)
    {
        if (Array(parent, property, property, required) is not { } array)
        {
            return null;
        }

        var objects = new List<(JsonElement, string)>();
        var index = 0;
        foreach (var item in array.EnumerateArray())
        {
            var path = $"{property}[{index++}]";
            if (item.ValueKind != JsonValueKind.Object)
            {
                errors.Add($"{path} must be an object");
                continue;
            }

            objects.Add((item, path));
        }

        return objects;
    }

    public int? Integer(JsonElement parent, string property, string path)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            errors.Add($"{path} is required");
            return null;
        }

        if (value.ValueKind == JsonValueKind.Number && value.TryGetInt32(out var number))
        {
            return number;
        }

        errors.Add($"{path} must be an integer");
        return null;
    }

    /// <summary>A required ISO 8601 timestamp; one without an offset is read as UTC.</summary>
    public DateTimeOffset? Timestamp(JsonElement parent, string property, string path)
    {
        var text = RequiredString(parent, property, path);
        if (text is null)
        {
            return null;
        }

        if (DateTimeOffset.TryParse(text, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var value))
        {
            return value;
        }

        errors.Add($"{path} '{text}' is not an ISO 8601 timestamp");
        return null;
    }

    /// <summary>A required three-letter upper-case ISO 4217 code.</summary>
    public string? Currency(JsonElement parent, string property, string path)
    {
        var currency = RequiredString(parent, property, path);
        if (currency is not null && !Currencies.IsValidCode(currency))
        {
            errors.Add($"{path} '{currency}' must be a three-letter upper-case ISO 4217 code");
            return null;
        }

        return currency;
    }

    /// <summary>An exact amount in minor units; decimal strings, and bare JSON numbers read from their raw text.</summary>
    public long? Amount(JsonElement parent, string property, string path, string? currency, bool required)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            if (required)
            {
                errors.Add($"{path} is required");
            }

            return null;
        }

        string? text = value.ValueKind switch
        {
            JsonValueKind.String => value.GetString(),
            JsonValueKind.Number => value.GetRawText(),
            _ => null,
        };
        if (text is null)
        {
            errors.Add($"{path} must be a decimal amount");
            return null;
        }

        if (currency is null)
        {
            // The currency problem is reported once; amounts cannot be interpreted without it.
            return null;
        }

        if (Currencies.TryParseMinorUnits(text, currency, out var minorUnits))
        {
            return minorUnits;
        }

        var exponent = Currencies.Exponent(currency);
        errors.Add($"{path} '{text}' is not a valid {currency} amount (at most {exponent} decimal place{(exponent == 1 ? string.Empty : "s")})");
        return null;
    }

    /// <summary>The sum of the given required amount fields over an array of lines: 0 when the array is absent, null after an error.</summary>
    public long? SumOfAmounts(JsonElement parent, string property, string? currency, params string[] fields)
    {
        if (!parent.TryGetProperty(property, out var value) || value.ValueKind == JsonValueKind.Null)
        {
            return 0;
        }

        if (Objects(parent, property, required: false) is not { } lines)
        {
            return null;
        }

        long sum = 0;
        var ok = lines.Count == value.GetArrayLength();
        foreach (var (line, path) in lines)
        {
            foreach (var field in fields)
            {
                if (Amount(line, field, $"{path}.{field}", currency, required: true) is { } amount)
                {
                    try
                    {
                        sum = checked(sum + amount);
                    }
                    catch (OverflowException)
                    {
                        Add($"{path}.{field}: the {property} amounts add up to more than {long.MaxValue} minor units");
                        ok = false;
                    }
                }
                else
                {
                    ok = false;
                }
            }
        }

        return ok ? sum : null;
    }

    public static string? NullIfBlank(string? value) => string.IsNullOrWhiteSpace(value) ? null : value;
}
