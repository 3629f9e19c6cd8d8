using Azure;

namespace OrderFlow.Integrations.Storage;

/// <summary>Status codes the table adapters treat as outcomes rather than failures.</summary>
internal static class StorageErrors
{
    public static bool IsConflict(RequestFailedException ex) => ex.Status == 409;

    public static bool IsPreconditionFailed(RequestFailedException ex) => ex.Status == 412;

    public static bool IsNotFound(RequestFailedException ex) => ex.Status == 404;
}
