namespace OrderFlow.Testing.Ports;

/// <summary>An injected transient failure of a fake port (what a 503 or a dropped connection looks like).</summary>
public sealed class TransientPortException(string message) : Exception(message);
