using System.Globalization;
using System.Text.Json.Nodes;
using WireMock.Logging;
using WireMock.Matchers;
using WireMock.RequestBuilders;
using WireMock.ResponseBuilders;
using WireMock.Server;

namespace OrderFlow.Integrations.Tests.Accounting;

/// <summary>
/// A QuickBooks Online stand-in on WireMock, answering with the JSON shapes Intuit documents: the OAuth 2.0 token
/// response, QueryResponse envelopes, created entities, and Fault bodies.
/// </summary>
public sealed class QuickBooksStub : IDisposable
{
    public const string TokenPath = "/oauth2/v1/tokens/bearer";

    public QuickBooksStub(string realmId)
    {
        RealmId = realmId;
        Server = WireMockServer.Start();
    }

    public WireMockServer Server { get; }

    public string RealmId { get; }

    public string CompanyPath => $"/v3/company/{RealmId}";

    public IEnumerable<ILogEntry> TokenCalls => Server.LogEntries.Where(e => e.RequestMessage.Path == TokenPath);

    public IEnumerable<ILogEntry> Posts(string entity) =>
        Server.LogEntries.Where(e => e.RequestMessage.Method == "POST" && e.RequestMessage.Path == $"{CompanyPath}/{entity}");

    public IEnumerable<ILogEntry> Queries => Server.LogEntries.Where(e => e.RequestMessage.Path == $"{CompanyPath}/query");

    /// <summary>Intuit's bearer token response: a one-hour access token and the (rotated) refresh token.</summary>
    public static string TokenJson(string accessToken, string refreshToken) => new JsonObject
    {
        ["token_type"] = "bearer",
        ["expires_in"] = 3600,
        ["refresh_token"] = refreshToken,
        ["x_refresh_token_expires_in"] = 8726400,
        ["access_token"] = accessToken,
    }.ToJsonString();

    public void GivenToken(string accessToken, string refreshToken) =>
        Server.Given(Request.Create().WithPath(TokenPath).UsingPost())
            .RespondWith(Json(200, TokenJson(accessToken, refreshToken)));

    /// <summary>The exchange of one refresh token (matched on the form body) for an access token and the next refresh token.</summary>
    public void GivenToken(string presentedRefreshToken, string accessToken, string rotatedRefreshToken) =>
        Server.Given(Request.Create().WithPath(TokenPath).UsingPost().WithBody(new RegexMatcher($"refresh_token={presentedRefreshToken}$")))
            .RespondWith(Json(200, TokenJson(accessToken, rotatedRefreshToken)));

    /// <summary>Queries of <paramref name="entity"/> answer with these documents (none: Intuit's empty QueryResponse).</summary>
    public IRespondWithAProvider Query(string entity) =>
        Server.Given(Request.Create().WithPath($"{CompanyPath}/query").UsingGet().WithParam("query", new RegexMatcher($"from {entity} where")));

    public static IResponseBuilder QueryAnswer(string entity, params JsonObject[] documents)
    {
        var response = new JsonObject();
        if (documents.Length > 0)
        {
            response[entity] = new JsonArray([.. documents.Select(d => d.DeepClone())]);
            response["startPosition"] = 1;
            response["maxResults"] = documents.Length;
        }

        return Json(200, new JsonObject { ["QueryResponse"] = response, ["time"] = Time }.ToJsonString());
    }

    public IRespondWithAProvider Create(string entity) =>
        Server.Given(Request.Create().WithPath($"{CompanyPath}/{entity.ToLowerInvariant()}").UsingPost());

    public static IResponseBuilder Created(string entity, JsonObject document) =>
        Json(200, new JsonObject { [entity] = document.DeepClone(), ["time"] = Time }.ToJsonString());

    /// <summary>A stored document as QuickBooks returns it.</summary>
    public static JsonObject Document(string id, string docNumber, string privateNote, decimal total, decimal tax, string currency = "USD") => new()
    {
        ["Id"] = id,
        ["SyncToken"] = "0",
        ["domain"] = "QBO",
        ["sparse"] = false,
        ["DocNumber"] = docNumber,
        ["TxnDate"] = "2026-11-26",
        ["PrivateNote"] = privateNote,
        ["CurrencyRef"] = new JsonObject { ["value"] = currency, ["name"] = "United States Dollar" },
        ["CustomerRef"] = new JsonObject { ["value"] = "58", ["name"] = "Web store" },
        ["DepositToAccountRef"] = new JsonObject { ["value"] = "35", ["name"] = "Stripe clearing" },
        ["TotalAmt"] = total,
        ["Balance"] = 0,
        ["TxnTaxDetail"] = new JsonObject { ["TotalTax"] = tax },
        ["MetaData"] = new JsonObject { ["CreateTime"] = "2026-11-26T10:00:00-08:00", ["LastUpdatedTime"] = "2026-11-26T10:00:00-08:00" },
    };

    /// <summary>Intuit's fault envelope, e.g. a ValidationFault for a business rule.</summary>
    public static IResponseBuilder Fault(int status, string type, string code, string message, string detail, string element = "") =>
        Json(status, new JsonObject
        {
            ["Fault"] = new JsonObject
            {
                ["Error"] = new JsonArray(new JsonObject { ["Message"] = message, ["Detail"] = detail, ["code"] = code, ["element"] = element }),
                ["type"] = type,
            },
            ["time"] = Time,
        }.ToJsonString());

    public static IResponseBuilder Json(int status, string body) =>
        Response.Create().WithStatusCode(status).WithHeader("Content-Type", "application/json").WithBody(body);

    public static decimal Amount(JsonNode? node) => decimal.Parse(node!.ToJsonString(), CultureInfo.InvariantCulture);

    public void Dispose() => Server.Stop();

    private static string Time => "2026-11-26T10:00:00.000-08:00";
}
