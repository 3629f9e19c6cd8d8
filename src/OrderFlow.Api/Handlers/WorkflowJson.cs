using System.Text.Json;

namespace OrderFlow.Api.Handlers;

/// <summary>Reads workflow outputs serialized by the engine's data converter.</summary>
public static class WorkflowJson
{
    private static readonly JsonSerializerOptions Options = new(JsonSerializerDefaults.Web);

    public static T? Read<T>(string? json) => string.IsNullOrEmpty(json) ? default : JsonSerializer.Deserialize<T>(json, Options);
}
