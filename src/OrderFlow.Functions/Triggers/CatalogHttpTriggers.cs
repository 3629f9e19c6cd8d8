using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.DurableTask.Client;
using OrderFlow.Api;
using OrderFlow.Api.Catalog;
using OrderFlow.Functions.Durable;

namespace OrderFlow.Functions.Triggers;

/// <summary>
/// HTTP triggers for <see cref="CatalogEndpoints"/> (same names, routes and verbs), delegating to the
/// <see cref="CatalogHandler"/> and <see cref="CatalogConsoleHandler"/> the one-machine host uses.
/// </summary>
public sealed class CatalogHttpTriggers(CatalogHandler catalog, CatalogConsoleHandler catalogConsole)
{
    [Function(nameof(ExportCatalogCsv))]
    public Task<IResult> ExportCatalogCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CatalogHandler.ExportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        catalog.ExportAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(ImportCatalogCsv))]
    public Task<IResult> ImportCatalogCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CatalogHandler.ImportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        catalog.ImportAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    /// <remarks>The durable client binding is unused; every HTTP function declares it, like the others.</remarks>
    [Function(nameof(GetConsoleCatalog))]
    public IResult GetConsoleCatalog(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CatalogConsoleHandler.ConsoleRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client) =>
        catalogConsole.ConsolePage(request);

    [Function(nameof(PostConsoleCatalogImport))]
    public Task<IResult> PostConsoleCatalogImport(
        [HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = CatalogConsoleHandler.ConsoleImportRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        catalogConsole.ConsoleImportAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);

    [Function(nameof(GetConsoleCatalogCsv))]
    public Task<IResult> GetConsoleCatalogCsv(
        [HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = CatalogConsoleHandler.ConsoleCsvRoute)] HttpRequest request,
        [DurableClient] DurableTaskClient client,
        CancellationToken cancellationToken) =>
        catalogConsole.ConsoleCsvAsync(request, new DurableTaskClientWorkflowClient(client), cancellationToken);
}
