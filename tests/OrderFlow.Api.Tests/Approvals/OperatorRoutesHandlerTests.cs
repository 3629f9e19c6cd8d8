using System.Text;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Options;
using Moq;
using OrderFlow.Api.Handlers;
using OrderFlow.Api.Options;
using OrderFlow.Workflows.Contracts;
using OrderFlow.Workflows.Ports;

namespace OrderFlow.Api.Tests.Approvals;

/// <summary>PUT/GET /api/inventory/{sku} need X-Operator-Key; without it nothing is read or changed.</summary>
public sealed class OperatorRoutesHandlerTests
{
    private const string Key = "test-operator-key-0123456789abcdef0123";
    private readonly Mock<ICatalog> catalog = new();
    private readonly Mock<IWorkflowClient> workflows = new();
    private readonly Mock<IOrderStore> orders = new();

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("wrong-key-0123456789abcdef0123456789")]
    [InlineData(Key + "x")]
    public async Task AllOperatorRoutes_MissingOrWrongKey_401NamingTheHeaderAndNothingTouched(string? key)
    {
        var put = await Inventory.PutAsync("SKU-MUG", Request(key, """{"locations":{"WH-EAST":999}}"""), workflows.Object, default);
        var get = await Inventory.GetAsync("SKU-MUG", Request(key), workflows.Object, default);
        Assert.All([put, get], r =>
        {
            var problem = Assert.IsType<ProblemHttpResult>(r);
            Assert.Equal(StatusCodes.Status401Unauthorized, problem.StatusCode);
            Assert.Contains(OperatorKey.Header, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        });
        catalog.Verify(c => c.UpsertAsync(It.IsAny<CatalogItem>(), It.IsAny<CancellationToken>()), Times.Never);
        catalog.Verify(c => c.GetAsync(It.IsAny<string>(), It.IsAny<CancellationToken>()), Times.Never);
        workflows.VerifyNoOtherCalls();
        orders.VerifyNoOtherCalls();
    }

    [Fact]
    public async Task PutAsync_RightKey_200WithTheStock()
    {
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>())).ReturnsAsync(true);
        workflows.Setup(w => w.WaitForCompletionAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, TimeSpan _, CancellationToken _) => new WorkflowStatus(id, "Completed", null, """{"sku":"SKU-MUG"}""", DateTimeOffset.UtcNow));

        var result = await Inventory.PutAsync("SKU-MUG", Request(Key, """{"title":"Mug","locations":{"WH-EAST":7}}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
        catalog.Verify(c => c.UpsertAsync(It.Is<CatalogItem>(i => i.Sku == "SKU-MUG"), It.IsAny<CancellationToken>()), Times.Once);
    }

    [Fact]
    public async Task PutAsync_PolicyAndThreshold_StoredInTheCatalogAndThresholdSentToTheEntity()
    {
        object? started = null;
        workflows.Setup(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()))
            .Callback((string _, string _, object input, CancellationToken _) => started = input)
            .ReturnsAsync(true);
        workflows.Setup(w => w.WaitForCompletionAsync(It.IsAny<string>(), It.IsAny<TimeSpan>(), It.IsAny<CancellationToken>()))
            .ReturnsAsync((string id, TimeSpan _, CancellationToken _) => new WorkflowStatus(id, "Completed", null, """{"sku":"SKU-MUG"}""", DateTimeOffset.UtcNow));

        var ok = await Inventory.PutAsync("SKU-MUG", Request(Key, """{"locations":{"WH-EAST":7},"reorderThreshold":3,"outOfStockPolicy":"backorder","substituteSku":"SKU-MUG-2"}"""), workflows.Object, default);
        var bad = await Inventory.PutAsync("SKU-MUG", Request(Key, """{"locations":{"WH-EAST":7},"outOfStockPolicy":"wait"}"""), workflows.Object, default);

        Assert.Equal(StatusCodes.Status200OK, Assert.IsAssignableFrom<IStatusCodeHttpResult>(ok).StatusCode);
        catalog.Verify(c => c.UpsertAsync(It.Is<CatalogItem>(i => i.OutOfStockPolicy == "Backorder" && i.SubstituteSku == "SKU-MUG-2" && i.ReorderThreshold == 3), It.IsAny<CancellationToken>()), Times.Once);
        var adjustment = Assert.IsType<OrderFlow.Workflows.Orchestrators.StockAdjustment>(started);
        Assert.True(adjustment.SetReorderThreshold);
        Assert.Equal(3, adjustment.ReorderThreshold);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, Assert.IsType<ProblemHttpResult>(bad).StatusCode);
    }

    [Theory]
    [InlineData("""{"locations":{"digital":0},"digital":true}""", "needs a downloadUrl")]
    [InlineData("""{"locations":{"digital":0},"digital":true,"downloadUrl":"http://shop.example.com/dl"}""", "absolute https URL")]
    public async Task PutAsync_DigitalWithoutAnHttpsDownloadPage_422(string body, string reason)
    {
        var result = await Inventory.PutAsync("SKU-GUIDE", Request(Key, body), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        Assert.Contains(reason, problem.ProblemDetails.Detail, StringComparison.Ordinal);
        catalog.Verify(c => c.UpsertAsync(It.IsAny<CatalogItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PutAsync_IntMaxStockAtTwoLocations_422NamesTheLimitAndNothingStarted()
    {
        var result = await Inventory.PutAsync("SKU-MUG", Request(Key, """{"locations":{"WH-EAST":2147483647,"WH-WEST":2147483647}}"""), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        Assert.Equal($"locations: 4294967294 units in all; at most {InventoryHandler.MaxUnitsPerSku} units of one SKU are accepted.", problem.ProblemDetails.Detail);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
        catalog.Verify(c => c.UpsertAsync(It.IsAny<CatalogItem>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Fact]
    public async Task PutAsync_LocationNameOf2000Characters_422NamesFieldAndLimit()
    {
        var body = "{\"locations\":{\"" + new string('L', 2000) + "\":1}}";

        var result = await Inventory.PutAsync("SKU-MUG", Request(Key, body), workflows.Object, default);

        var problem = Assert.IsType<ProblemHttpResult>(result);
        Assert.Equal(StatusCodes.Status422UnprocessableEntity, problem.StatusCode);
        Assert.StartsWith("locations: a location name is 2000 characters; names must be 1-100 characters", problem.ProblemDetails.Detail, StringComparison.Ordinal);
        workflows.Verify(w => w.StartAsync(It.IsAny<string>(), It.IsAny<string>(), It.IsAny<object>(), It.IsAny<CancellationToken>()), Times.Never);
    }

    [Theory]
    [InlineData(null, StatusCodes.Status401Unauthorized)]
    [InlineData("wrong-key", StatusCodes.Status401Unauthorized)]
    [InlineData(Key, StatusCodes.Status404NotFound)]
    public async Task GetOrder_WithoutTheOperatorKey_Unauthorized(string? key, int expected)
    {
        // Customers use the signed status page; the JSON (timeline, case errors) is for operators only.
        var result = await Orders.GetAsync("shopify-1", Request(key), workflows.Object, default);

        Assert.Equal(expected, Assert.IsAssignableFrom<IStatusCodeHttpResult>(result).StatusCode);
    }

    private static IOptions<OperationsOptions> Operations => Microsoft.Extensions.Options.Options.Create(new OperationsOptions { OperatorKey = Key });

    private InventoryHandler Inventory => new(catalog.Object, Operations, TimeProvider.System, NullLogger<InventoryHandler>.Instance);

    private OrderQueryHandler Orders => new(orders.Object, Operations);

    private static HttpRequest Request(string? key, string? json = null)
    {
        var context = new DefaultHttpContext();
        if (key is not null)
        {
            context.Request.Headers[OperatorKey.Header] = key;
        }

        if (json is not null)
        {
            context.Request.Method = "PUT";
            context.Request.ContentType = "application/json";
            context.Request.Body = new MemoryStream(Encoding.UTF8.GetBytes(json));
        }

        return context.Request;
    }
}
