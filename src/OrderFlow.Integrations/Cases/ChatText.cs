using System.Text;

namespace OrderFlow.Integrations.Cases;

/// <summary>
/// Escapes variable text for a Slack-style chat message (<c>{"text": ...}</c>, which Slack and Teams both read). Slack
/// treats <c>&lt;...&gt;</c> as links and mentions (<c>&lt;!channel&gt;</c>, <c>&lt;https://x|Approve&gt;</c>) and
/// asks for exactly <c>&amp;</c>, <c>&lt;</c> and <c>&gt;</c> to be escaped as HTML entities, which Teams also
/// decodes. Line breaks and other control characters become spaces, so a value cannot start a line of its own that
/// looks like one of the alert's "Approve: link" lines.
/// </summary>
public static class ChatText
{
    public static string Escape(string? value)
    {
        if (string.IsNullOrEmpty(value))
        {
            return string.Empty;
        }

        var text = new StringBuilder(value.Length + 16);
        foreach (var c in value)
        {
            _ = c switch
            {
                '&' => text.Append("&amp;"),
                '<' => text.Append("&lt;"),
                '>' => text.Append("&gt;"),
                _ when char.IsControl(c) || c is '\u2028' or '\u2029' => text.Append(' '),
                _ => text.Append(c),
            };
        }

        return text.ToString();
    }
}
