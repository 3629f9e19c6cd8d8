using CoreDataConverter = DurableTask.Core.Serializing.DataConverter;
using DataConverter = Microsoft.DurableTask.DataConverter;

namespace OrderFlow.Engine;

/// <summary>
/// Lets DurableTask.Core's <c>TaskHubClient</c> serialize with the same <see cref="DataConverter"/> as the
/// worker's shims (System.Text.Json by default) instead of its own Newtonsoft converter.
/// </summary>
internal sealed class CoreDataConverterAdapter : CoreDataConverter
{
    private readonly DataConverter inner;

    public CoreDataConverterAdapter(DataConverter inner) => this.inner = inner;

    public override string Serialize(object value) => this.inner.Serialize(value)!;

    public override string Serialize(object value, bool formatted) => this.inner.Serialize(value)!;

    public override object Deserialize(string data, Type objectType) => this.inner.Deserialize(data, objectType)!;
}
