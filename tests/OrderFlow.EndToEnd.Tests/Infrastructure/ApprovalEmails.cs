using OrderFlow.Testing;
using System.Text.Json.Nodes;
using System.Text.RegularExpressions;
using MimeKit;

namespace OrderFlow.EndToEnd.Tests.Infrastructure;

/// <summary>Approver emails as the tests read them, and the order edit that holds an order for fraud review.</summary>
public static partial class ApprovalEmails
{
    /// <summary>Waits for the approver email of a case.</summary>
    public static async Task<MimeMessage> ForCaseAsync(TestSmtpServer smtp, string caseId) =>
        (await Poll.UntilAsync(
            () => Task.FromResult(smtp.Messages.FirstOrDefault(m => NotificationEmails.KeyOf(m) == $"case:{caseId}")),
            m => m is not null,
            $"the approver email for {caseId}"))!;

    /// <summary>Resolution -> path of its link (the links name the public base URL; tests follow them on the host).</summary>
    public static Dictionary<string, string> Links(MimeMessage message) =>
        LinkPattern().Matches(message.TextBody ?? string.Empty)
            .ToDictionary(m => m.Groups["action"].Value, m => "/api/approvals/" + m.Groups["token"].Value, StringComparer.Ordinal);

    /// <summary>Edit for <see cref="TestOrder.Create"/>: a payment the sandbox gateway rates highest risk.</summary>
    public static void RiskyPayment(JsonObject root)
    {
        foreach (var attribute in root["note_attributes"]!.AsArray())
        {
            if (attribute!["name"]!.GetValue<string>() == "payment_intent_id")
            {
                attribute["value"] = $"pi_risk_{root["id"]}";
            }
        }
    }

    [GeneratedRegex(@"(?<action>Approve|RetryStep|Cancel): http://approvals\.orderflow-e2e\.test/api/approvals/(?<token>[A-Za-z0-9_-]+\.[A-Za-z0-9_-]+)")]
    private static partial Regex LinkPattern();
}
