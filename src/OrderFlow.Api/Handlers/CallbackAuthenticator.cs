using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Options;
using OrderFlow.Api.Options;
using OrderFlow.Api.Webhooks;
using OrderFlow.Workflows.Options;

namespace OrderFlow.Api.Handlers;

/// <summary>
/// Checks the X-OrderFlow-Signature of a location's callback (<see cref="CallbackSignature"/>) against every key valid
/// today, before anything is read from storage, and says whose key it was; <see cref="MayReportFor"/> then binds that
/// signer to the location the fulfillment or return belongs to. A location with its own
/// FulfillmentPartners:Locations:N:Secret (and PreviousSecret while rotating) is accepted only with those; every other
/// location signs with Intake:FulfillmentCallbackSecret (and Intake:FulfillmentCallbackPreviousSecret).
/// </summary>
public sealed class CallbackAuthenticator(IOptions<IntakeOptions> intake, IOptions<FulfillmentPartnersOptions> partners, TimeProvider clock)
{
    public const string SignatureHeader = CallbackSignature.Header;

    /// <summary>The canonical path of POST /api/fulfillments/{fulfillmentId}/events, as signed.</summary>
    public static string FulfillmentEventsPath(string fulfillmentId) => PathOf(ApiRoutes.FulfillmentEvents, "{fulfillmentId}", fulfillmentId);

    /// <summary>The canonical path of POST /api/returns/{returnId}/received, as signed.</summary>
    public static string ReturnReceivedPath(string returnId) => PathOf(ApiRoutes.ReturnReceived, "{returnId}", returnId);

    /// <summary>The signer of a valid signature over (POST, <paramref name="path"/>, body, its timestamp), or the 401 answer.</summary>
    public (CallbackSigner? Signer, IResult? Problem) Authenticate(HttpRequest request, string path, ReadOnlySpan<byte> body)
    {
        ArgumentNullException.ThrowIfNull(request);
        var signers = new List<CallbackSigner>();
        var secrets = new List<string>();
        foreach (var partner in partners.Value.Locations)
        {
            foreach (var secret in FulfillmentPartnersOptions.CallbackSecretsOf(partner))
            {
                signers.Add(new CallbackSigner(partner.Location.Trim()));
                secrets.Add(secret);
            }
        }

        foreach (var secret in intake.Value.FulfillmentCallbackSecrets())
        {
            signers.Add(CallbackSigner.Shared);
            secrets.Add(secret);
        }

        var verdict = CallbackSignature.Verify(
            request.Headers[SignatureHeader].ToString(), HttpMethods.Post, path, body, secrets, clock.GetUtcNow(), intake.Value.CallbackTolerance);
        return verdict.IsValid ? (signers[verdict.SecretIndex], null) : (null, Problems.Unauthorized(verdict.Failure!));
    }

    /// <summary>
    /// Whether <paramref name="signer"/> may report on something at <paramref name="location"/>: its own key only for
    /// itself; the shared key only for a location without its own key.
    /// </summary>
    public bool MayReportFor(CallbackSigner signer, string? location)
    {
        ArgumentNullException.ThrowIfNull(signer);
        if (string.IsNullOrWhiteSpace(location))
        {
            return false;
        }

        return signer.Location is { } own
            ? string.Equals(own, location.Trim(), StringComparison.OrdinalIgnoreCase)
            : partners.Value.CallbackSecretsOf(location.Trim()).Count == 0;
    }

    /// <summary>The 401 for a valid signature from a signer that may not report for <paramref name="location"/>.</summary>
    public static IResult NotTheirs(CallbackSigner signer, string what) =>
        Problems.Unauthorized($"{SignatureHeader} is signed with {signer}, which may not report on {what}: sign with the key of the location it belongs to.");

    private static string PathOf(string template, string placeholder, string id) =>
        $"/{ApiRoutes.Prefix}/" + template.Replace(placeholder, Uri.EscapeDataString(id), StringComparison.Ordinal);
}
