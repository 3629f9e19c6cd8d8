using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using System.Text.Json;
using Microsoft.Extensions.Logging.Abstractions;
using OrderFlow.Workflows.Serialization;
using OrderFlow.Integrations.Storage;
using OrderFlow.Integrations.Tests.Infrastructure;
using OrderFlow.Workflows.Contracts;

namespace OrderFlow.Integrations.Tests.Storage;

public sealed class TableDeliveryStoreTests(StorageFixture storage) : IClassFixture<StorageFixture>
{
    private static readonly DateTimeOffset T0 = new(2026, 11, 20, 12, 0, 0, TimeSpan.Zero);
    private readonly TableDeliveryStore store = new(storage.Tables, NullLogger<TableDeliveryStore>.Instance);

    [Fact]
    public async Task TryRecordAcceptedAsync_SameDeliveryTwice_SecondReturnsFalse()
    {
        var order = TestOrders.Create();
        var delivery = Accepted(NewId(), order.OrderId, "{\"id\":1}");

        Assert.True(await store.TryRecordAcceptedAsync(delivery, order));
        Assert.False(await store.TryRecordAcceptedAsync(delivery with { ReceivedAt = T0.AddMinutes(5) }, order));
    }

    [Fact]
    public async Task GetOrderAsync_AcceptedDelivery_ReturnsCanonicalOrder()
    {
        var order = TestOrders.Create();
        var delivery = Accepted(NewId(), order.OrderId, "{\"id\":1}");
        await store.TryRecordAcceptedAsync(delivery, order);

        var stored = await store.GetOrderAsync("shopify", delivery.DeliveryId);

        Assert.NotNull(stored);
        Assert.Equal(JsonSerializer.Serialize(order, IntegrationJson.Options), JsonSerializer.Serialize(stored, IntegrationJson.Options));
    }

    [Fact]
    public async Task GetAsync_AcceptedDelivery_ReturnsAllFields()
    {
        var order = TestOrders.Create();
        var delivery = Accepted(NewId(), order.OrderId, "{\"id\":42}");
        await store.TryRecordAcceptedAsync(delivery, order);

        Assert.Equal(delivery with { ContentHash = OrderContent.Hash(order) }, await store.GetAsync("shopify", delivery.DeliveryId));
    }

    [Fact]
    public async Task ClaimOrderAsync_SecondClaim_ReturnsTheFirstHashAndDelivery()
    {
        var orderId = $"shopify-{NewId()}";
        await store.ClaimOrderAsync(orderId, "hash-a", "delivery-a");

        var second = await store.ClaimOrderAsync(orderId, "hash-b", "delivery-b");

        Assert.Equal(new OrderContentClaim(orderId, "hash-a", "delivery-a"), second);
    }

    [Fact]
    public async Task ReleaseOrderClaimAsync_OnlyTheClaimAsMadeByThatDeliveryIsGivenBack()
    {
        var orderId = $"shopify-{NewId()}";
        await store.ClaimOrderAsync(orderId, "hash-a", "delivery-a");

        await store.ReleaseOrderClaimAsync(orderId, "hash-a", "delivery-other");
        await store.ReleaseOrderClaimAsync(orderId, "hash-other", "delivery-a");
        var kept = await store.ClaimOrderAsync(orderId, "hash-b", "delivery-b");
        await store.ReleaseOrderClaimAsync(orderId, "hash-a", "delivery-a");
        var afterRelease = await store.ClaimOrderAsync(orderId, "hash-b", "delivery-b");

        Assert.Equal(new OrderContentClaim(orderId, "hash-a", "delivery-a"), kept);
        Assert.Equal(new OrderContentClaim(orderId, "hash-b", "delivery-b"), afterRelease);
    }

    [Fact]
    public async Task RecordRejectedAndAccepted_IdsLongerThanTableKeys_RecordedAndFoundByTheirFullId()
    {
        var longId = NewId() + new string('9', 5000);
        var order = TestOrders.Create();
        var rejected = Accepted(longId, order.OrderId, "{}") with { Outcome = DeliveryOutcomes.RejectedSignature };
        await store.RecordRejectedAsync(rejected);
        var otherLong = NewId() + new string('9', 5000);
        await store.TryRecordAcceptedAsync(Accepted(otherLong, order.OrderId, "{}"), order);

        Assert.Equal(DeliveryOutcomes.RejectedSignature, (await store.GetAsync("shopify", longId))!.Outcome);
        Assert.Equal(DeliveryOutcomes.Accepted, (await store.GetAsync("shopify", otherLong))!.Outcome);
        Assert.False(await store.TryRecordAcceptedAsync(Accepted(otherLong, order.OrderId, "{}"), order));
    }

    [Fact]
    public async Task RecordRejectedAsync_BadSignature_StoredWithReasonPayloadAndHash()
    {
        var rejected = new WebhookDelivery("shopify", NewId(), "orders/create", T0, DeliveryOutcomes.RejectedSignature, "HMAC mismatch", null, "{\"forged\":true}");

        await store.RecordRejectedAsync(rejected);

        var stored = await store.GetAsync("shopify", rejected.DeliveryId);
        Assert.Equal(rejected with { PayloadSha256 = Sha256Hex(rejected.RawPayload), PayloadBytes = 15 }, stored);
        Assert.Null(await store.GetOrderAsync("shopify", rejected.DeliveryId));
    }

    [Fact]
    public async Task RecordRejectedAsync_ThenValidDeliveryWithSameId_AcceptedIsRecorded()
    {
        var id = NewId();
        var order = TestOrders.Create();
        await store.RecordRejectedAsync(new WebhookDelivery("shopify", id, "orders/create", T0, DeliveryOutcomes.RejectedMalformed, "line_items is required", null, "{}"));
        await store.RecordRejectedAsync(new WebhookDelivery("shopify", id, "orders/create", T0.AddSeconds(1), DeliveryOutcomes.RejectedSignature, "HMAC mismatch", null, "{}"));

        Assert.True(await store.TryRecordAcceptedAsync(Accepted(id, order.OrderId, "{\"ok\":true}"), order));

        var stored = await store.GetAsync("shopify", id);
        Assert.Equal(DeliveryOutcomes.Accepted, stored!.Outcome);
    }

    [Fact]
    public async Task GetAsync_SeveralRejectionsOfOneId_ReturnsNewest()
    {
        var id = NewId();
        await store.RecordRejectedAsync(new WebhookDelivery("shopify", id, "orders/create", T0, DeliveryOutcomes.RejectedMalformed, "older", null, "{}"));
        await store.RecordRejectedAsync(new WebhookDelivery("shopify", id, "orders/create", T0.AddMinutes(1), DeliveryOutcomes.RejectedMalformed, "newer", null, "{}"));

        Assert.Equal("newer", (await store.GetAsync("shopify", id))!.Reason);
    }

    [Theory]
    [InlineData(500 * 1024)]
    [InlineData(900 * 1024)]
    public async Task TryRecordAcceptedAsync_LargePayload_RoundTripsExactly(int size)
    {
        var order = TestOrders.Create();
        var payload = LargeJson(size);
        var delivery = Accepted(NewId(), order.OrderId, payload);

        Assert.True(await store.TryRecordAcceptedAsync(delivery, order));

        var stored = await store.GetAsync("shopify", delivery.DeliveryId);
        Assert.Equal(payload.Length, stored!.RawPayload.Length);
        Assert.Equal(payload, stored.RawPayload);
    }

    [Fact]
    public async Task RecordRejectedAsync_OneMebibyteBody_KeepsOnlyPrefixHashAndSize()
    {
        var payload = LargeJson(1024 * 1024);
        var rejected = new WebhookDelivery("shopify", NewId(), "orders/create", T0, DeliveryOutcomes.RejectedSignature, "HMAC mismatch", null, payload);

        await store.RecordRejectedAsync(rejected);

        var stored = (await store.GetAsync("shopify", rejected.DeliveryId))!;
        Assert.Equal(payload[..TableDeliveryStore.RejectedPayloadPrefixBytes], stored.RawPayload);
        Assert.Equal(Sha256Hex(payload), stored.PayloadSha256);
        Assert.Equal(payload.Length, stored.PayloadBytes);

        // What the table holds: the prefix and the hash, no gzip chunks of the rest.
        var entity = Assert.Single(await RowsAsync(e => e.GetString("DeliveryId") == rejected.DeliveryId));
        Assert.DoesNotContain(entity.Keys, k => k.StartsWith("Payload", StringComparison.Ordinal) && k is not ("Payload" or "PayloadSha256" or "PayloadBytes"));
        var storedChars = entity.Select(p => p.Value).OfType<string>().Sum(v => v.Length);
        Assert.True(storedChars <= TableDeliveryStore.RejectedPayloadPrefixBytes + 64 + 512, $"{storedChars} characters stored");
    }

    [Fact]
    public async Task RecordRejectedAsync_NonAsciiBodyAtThePrefixEnd_CutOnACharacterBoundary()
    {
        // "é" is two UTF-8 bytes: one ASCII byte first puts a character across the 2048-byte mark.
        var payload = "x" + new string('\u00e9', 3000);
        var rejected = new WebhookDelivery("shopify", NewId(), "orders/create", T0, DeliveryOutcomes.RejectedMalformed, "too odd", null, payload);

        await store.RecordRejectedAsync(rejected);

        var stored = (await store.GetAsync("shopify", rejected.DeliveryId))!;
        Assert.Equal(payload[..1024], stored.RawPayload);
        Assert.Equal(Encoding.UTF8.GetByteCount(payload), stored.PayloadBytes);
        Assert.Equal(Sha256Hex(payload), stored.PayloadSha256);
    }

    [Fact]
    public async Task PurgePayloadsAsync_OldAndNewDeliveries_ClearsOldAcceptedDeletesOldRejectedKeepsNew()
    {
        var cutoff = T0.AddDays(-90);
        var order = TestOrders.Create();
        var oldAccepted = Accepted(NewId(), order.OrderId, LargeJson(100 * 1024)) with { ReceivedAt = cutoff.AddDays(-1) };
        var newAccepted = Accepted(NewId(), order.OrderId, "{\"id\":7}") with { ReceivedAt = cutoff.AddDays(1) };
        var oldEvent = Accepted(NewId(), order.OrderId, "{\"type\":\"charge.succeeded\"}") with { Source = "stripe", ReceivedAt = cutoff.AddHours(-1) };
        var oldRejected = new WebhookDelivery("shopify", NewId(), "orders/create", cutoff.AddDays(-2), DeliveryOutcomes.RejectedSignature, "HMAC mismatch", null, "{\"forged\":1}");
        var newRejected = oldRejected with { DeliveryId = NewId(), ReceivedAt = cutoff.AddMinutes(1) };
        Assert.True(await store.TryRecordAcceptedAsync(oldAccepted, order));
        Assert.True(await store.TryRecordAcceptedAsync(newAccepted, order));
        Assert.True(await store.TryRecordAcceptedEventAsync(oldEvent));
        await store.RecordRejectedAsync(oldRejected);
        await store.RecordRejectedAsync(newRejected);

        var result = await store.PurgePayloadsAsync(cutoff);

        Assert.Equal(new(PayloadsCleared: 2, RejectedDeleted: 1), result);
        var purged = (await store.GetAsync("shopify", oldAccepted.DeliveryId))!;
        Assert.Equal(
            oldAccepted with { RawPayload = string.Empty, PayloadSha256 = Sha256Hex(oldAccepted.RawPayload), PayloadBytes = oldAccepted.RawPayload.Length, ContentHash = OrderContent.Hash(order) },
            purged);
        Assert.Null(await store.GetOrderAsync("shopify", oldAccepted.DeliveryId));
        Assert.Equal(string.Empty, (await store.GetAsync("stripe", oldEvent.DeliveryId))!.RawPayload);
        Assert.Null(await store.GetAsync("shopify", oldRejected.DeliveryId));

        Assert.Equal(newAccepted with { ContentHash = OrderContent.Hash(order) }, await store.GetAsync("shopify", newAccepted.DeliveryId));
        Assert.NotNull(await store.GetOrderAsync("shopify", newAccepted.DeliveryId));
        Assert.Equal(newRejected.DeliveryId, (await store.GetAsync("shopify", newRejected.DeliveryId))!.DeliveryId);

        // The accepted row still dedupes its id, and a second pass finds nothing left to do.
        Assert.False(await store.TryRecordAcceptedAsync(oldAccepted, order));
        Assert.Equal(new(0, 0), await store.PurgePayloadsAsync(cutoff));
    }

    [Fact]
    public async Task TryRecordAcceptedAsync_DeliveryIdWithReservedCharacters_RoundTrips()
    {
        var order = TestOrders.Create();
        var delivery = Accepted($"a/b\\c#d?e%f|{Guid.NewGuid():N}", order.OrderId, "{}");

        Assert.True(await store.TryRecordAcceptedAsync(delivery, order));
        Assert.False(await store.TryRecordAcceptedAsync(delivery, order));

        Assert.Equal(delivery.DeliveryId, (await store.GetAsync("shopify", delivery.DeliveryId))!.DeliveryId);
    }

    private static WebhookDelivery Accepted(string id, string orderId, string payload) =>
        new("shopify", id, "orders/create", T0, DeliveryOutcomes.Accepted, null, orderId, payload);

    private static string NewId() => Guid.NewGuid().ToString();

    private static string Sha256Hex(string text) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(text)));

    private async Task<List<TableEntity>> RowsAsync(Func<TableEntity, bool> match)
    {
        var table = await storage.Tables.GetAsync(TableNames.Deliveries);
        var rows = new List<TableEntity>();
        await foreach (var entity in table.QueryAsync<TableEntity>())
        {
            if (match(entity))
            {
                rows.Add(entity);
            }
        }

        return rows;
    }

    /// <summary>Webhook-like JSON of about <paramref name="size"/> characters, varied enough not to be trivial.</summary>
    private static string LargeJson(int size)
    {
        var sb = new StringBuilder("{\"line_items\":[");
        var random = new Random(size);
        for (var i = 0; sb.Length < size - 200; i++)
        {
            sb.Append(i == 0 ? string.Empty : ",")
                .Append("{\"id\":").Append(random.NextInt64(1_000_000_000, 9_999_999_999))
                .Append(",\"sku\":\"SKU-").Append(random.Next(100_000)).Append("\",\"title\":\"Mug ")
                .Append(Convert.ToHexString(BitConverter.GetBytes(random.NextInt64())))
                .Append("\",\"quantity\":").Append(random.Next(1, 9)).Append(",\"price\":\"").Append(random.Next(100, 9999)).Append(".99\"}");
        }

        return sb.Append("]}").ToString();
    }
}
