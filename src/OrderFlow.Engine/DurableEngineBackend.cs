namespace OrderFlow.Engine;

/// <summary>Which storage backend the one-machine durable engine runs on.</summary>
public enum DurableEngineBackend
{
    /// <summary>Everything in process memory: fast, lost on exit. For tests and demos.</summary>
    InMemory = 0,

    /// <summary>DurableTask.AzureStorage (Azurite locally, or a real storage account): survives restarts.</summary>
    AzureStorage = 1,
}
