using System.Text.Json;
using System.Text.Json.Serialization;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Workflows.Activities;

/// <summary>
/// Input of <see cref="ValidateOrderActivity"/>. Orders before <see cref="OrderWorkflowVersions.StatusWithStep"/> send the
/// order id alone (a JSON string, as recorded in their histories); from it the workflow sends this record with the
/// Validated status change <see cref="Then"/>. Both read as this type (<see cref="Converter"/>), so one activity serves
/// every revision, an activity scheduled before a deployment included.
/// </summary>
/// <param name="OrderId">The order to validate.</param>
/// <param name="Then">The status written when the order is valid (Validated); null for a bare order id.</param>
[JsonConverter(typeof(Converter))]
public sealed record ValidateOrderRequest(string OrderId, StatusChange? Then = null)
{
    /// <summary>Reads a bare order id (a JSON string) or the record; writes the record (<see cref="Then"/> only when set).</summary>
    public sealed class Converter : JsonConverter<ValidateOrderRequest>
    {
        public override ValidateOrderRequest Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType == JsonTokenType.String)
            {
                return new ValidateOrderRequest(reader.GetString()!);
            }

            var body = JsonSerializer.Deserialize<Body>(ref reader, options) ?? throw new JsonException("A ValidateOrderRequest is an order id or an object.");
            return new ValidateOrderRequest(body.OrderId ?? throw new JsonException("A ValidateOrderRequest names its OrderId."), body.Then);
        }

        public override void Write(Utf8JsonWriter writer, ValidateOrderRequest value, JsonSerializerOptions options)
        {
            ArgumentNullException.ThrowIfNull(writer);
            ArgumentNullException.ThrowIfNull(value);
            JsonSerializer.Serialize(writer, new Body(value.OrderId, value.Then), options);
        }
    }

    /// <summary>The record's shape on the wire (no converter of its own).</summary>
    private sealed record Body(
        string? OrderId,
        [property: JsonIgnore(Condition = JsonIgnoreCondition.WhenWritingNull)] StatusChange? Then = null);
}
