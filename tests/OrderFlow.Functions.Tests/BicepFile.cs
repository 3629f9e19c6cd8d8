using System.Text;
using System.Text.RegularExpressions;

namespace OrderFlow.Functions.Tests;

/// <summary>
/// Just enough of a Bicep reader for the infra tests: top-level variables, object keys, arrays of objects, parameters.
/// It blanks comments and string contents (interpolations included) to find structure, then reads values from the
/// original text, so braces or colons inside strings never confuse it. The compiled ARM JSON inlines app settings into
/// one expression string, which is why the tests read the Bicep source instead.
/// </summary>
internal sealed partial class BicepFile
{
    private readonly string text;
    private readonly string code;

    private BicepFile(string name, string text)
    {
        Name = name;
        this.text = text.Replace("\r\n", "\n", StringComparison.Ordinal);
        code = Blank(this.text);
    }

    public string Name { get; }

    /// <summary>A file from infra/, copied next to the test assembly by the test project.</summary>
    public static BicepFile Load(string fileName)
    {
        var path = Path.Combine(AppContext.BaseDirectory, "infra", fileName);
        Assert.True(File.Exists(path), $"{path} not found; the test project links infra/{fileName}.");
        return new BicepFile(fileName, File.ReadAllText(path));
    }

    /// <summary>The keys of the object literal assigned to <c>var {name} = { ... }</c>.</summary>
    public IReadOnlyList<string> ObjectKeys(string variable)
    {
        var (start, end) = Block(variable, '{', '}');
        return Entries(start, end).Select(e => e.Key).ToList();
    }

    /// <summary>The entries of the object literal assigned to <c>var {name} = { ... }</c>, as key -> raw value text (strings keep their quotes).</summary>
    public IReadOnlyDictionary<string, string> ObjectEntries(string variable)
    {
        var (start, end) = Block(variable, '{', '}');
        return Entries(start, end).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal);
    }

    /// <summary>Each object of the array literal assigned to <c>var {name} = [ ... ]</c>, as key -> raw value text.</summary>
    public IReadOnlyList<IReadOnlyDictionary<string, string>> ArrayOfObjects(string variable)
    {
        var (start, end) = Block(variable, '[', ']');
        var items = new List<IReadOnlyDictionary<string, string>>();
        var depth = 0;
        var itemStart = -1;
        for (var i = start + 1; i < end; i++)
        {
            switch (code[i])
            {
                case '{' or '[' or '(':
                    if (depth++ == 0 && code[i] == '{')
                    {
                        itemStart = i;
                    }

                    break;
                case '}' or ']' or ')':
                    if (--depth == 0 && code[i] == '}')
                    {
                        items.Add(Entries(itemStart, i).ToDictionary(e => e.Key, e => e.Value, StringComparer.Ordinal));
                    }

                    break;
            }
        }

        return items;
    }

    /// <summary>The whole expression assigned to <c>var {name}</c>, whitespace collapsed.</summary>
    public string VariableExpression(string variable)
    {
        var match = Declaration(variable);
        var depth = 0;
        var i = match.Index + match.Length;
        for (; i < code.Length; i++)
        {
            var c = code[i];
            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                depth--;
            }
            else if (c == '\n' && depth == 0)
            {
                break;
            }
        }

        return Collapse(text[(match.Index + match.Length)..i]);
    }

    /// <summary>Names of the parameters declared with <c>@secure()</c>.</summary>
    public IReadOnlySet<string> SecureParameters() =>
        SecureParameterPattern().Matches(code).Select(m => m.Groups["name"].Value).ToHashSet(StringComparer.Ordinal);

    /// <summary>Whether the file, whitespace collapsed, contains this fragment (also whitespace collapsed).</summary>
    public bool Contains(string fragment) => Collapse(text).Contains(Collapse(fragment), StringComparison.Ordinal);

    public int Count(string fragment) => Regex.Count(Collapse(text), Regex.Escape(Collapse(fragment)));

    private Match Declaration(string variable)
    {
        var match = new Regex($@"^var\s+{Regex.Escape(variable)}\s*=\s*", RegexOptions.Multiline).Match(code);
        Assert.True(match.Success, $"{Name} declares no top-level 'var {variable}'; the infra tests read it (update them if it moved).");
        return match;
    }

    private (int Start, int End) Block(string variable, char open, char close)
    {
        var match = Declaration(variable);
        var start = match.Index + match.Length;
        Assert.True(start < code.Length && code[start] == open, $"'var {variable}' in {Name} is not a literal starting with '{open}'.");
        var depth = 0;
        for (var i = start; i < code.Length; i++)
        {
            if (code[i] is '{' or '[' or '(')
            {
                depth++;
            }
            else if (code[i] is '}' or ']' or ')' && --depth == 0)
            {
                Assert.Equal(close, code[i]);
                return (start, i);
            }
        }

        throw new InvalidOperationException($"'var {variable}' in {Name} is not closed.");
    }

    /// <summary>The key: value entries directly inside the braces at [open, close] (nested literals are skipped).</summary>
    private IEnumerable<KeyValuePair<string, string>> Entries(int open, int close)
    {
        var depth = 0;
        var lineStart = open + 1;
        for (var i = open + 1; i <= close; i++)
        {
            var c = code[i];
            if (c == '\n' || i == close)
            {
                if (depth == 0)
                {
                    var match = EntryPattern().Match(code[lineStart..i]);
                    if (match.Success)
                    {
                        var original = text[lineStart..i];
                        var key = original.Substring(match.Groups["key"].Index, match.Groups["key"].Length).Trim('\'');
                        yield return new(key, Collapse(ValueText(lineStart + match.Length)));
                    }
                }

                lineStart = i + 1;
            }
            else if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                depth--;
            }
        }
    }

    /// <summary>Original text of one value starting at <paramref name="start"/>, up to the end of its line or literal.</summary>
    private string ValueText(int start)
    {
        var depth = 0;
        var i = start;
        for (; i < code.Length; i++)
        {
            var c = code[i];
            if (c is '{' or '[' or '(')
            {
                depth++;
            }
            else if (c is '}' or ']' or ')')
            {
                if (--depth < 0)
                {
                    break;
                }
            }
            else if (c == '\n' && depth == 0)
            {
                break;
            }
        }

        return text[start..i];
    }

    /// <summary>Whitespace runs become one space, and none is kept just inside brackets (the formatter may break lines there).</summary>
    private static string Collapse(string value) =>
        BracketSpacePattern().Replace(WhitespacePattern().Replace(value, " ").Trim(), m => m.Value.Trim());

    /// <summary>Same length and line breaks as the source, with comments and string contents replaced by spaces.</summary>
    private static string Blank(string source)
    {
        var result = new StringBuilder(source);
        var interpolations = new Stack<int>();
        var inString = false;
        for (var i = 0; i < source.Length; i++)
        {
            var c = source[i];
            var hidden = inString || interpolations.Count > 0;
            if (inString)
            {
                if (c == '\\' && i + 1 < source.Length)
                {
                    Hide(result, i++);
                    Hide(result, i);
                    continue;
                }

                if (c == '$' && i + 1 < source.Length && source[i + 1] == '{')
                {
                    interpolations.Push(0);
                    inString = false;
                    Hide(result, i++);
                    Hide(result, i);
                    continue;
                }

                if (c == '\'')
                {
                    inString = false;
                    if (interpolations.Count > 0)
                    {
                        Hide(result, i);
                    }

                    continue;
                }

                Hide(result, i);
                continue;
            }

            if (c == '/' && i + 1 < source.Length && source[i + 1] == '/')
            {
                for (; i < source.Length && source[i] != '\n'; i++)
                {
                    Hide(result, i);
                }

                i--;
                continue;
            }

            if (c == '/' && i + 1 < source.Length && source[i + 1] == '*')
            {
                var end = source.IndexOf("*/", i + 2, StringComparison.Ordinal);
                end = end < 0 ? source.Length : end + 2;
                for (; i < end; i++)
                {
                    Hide(result, i);
                }

                i--;
                continue;
            }

            if (c == '\'')
            {
                inString = true;
                if (hidden)
                {
                    Hide(result, i);
                }

                continue;
            }

            if (interpolations.Count > 0)
            {
                if (c == '{')
                {
                    interpolations.Push(interpolations.Pop() + 1);
                }
                else if (c == '}')
                {
                    var depth = interpolations.Pop();
                    if (depth == 0)
                    {
                        inString = true; // back inside the string that holds this interpolation
                    }
                    else
                    {
                        interpolations.Push(depth - 1);
                    }
                }

                Hide(result, i);
            }
        }

        return result.ToString();
    }

    private static void Hide(StringBuilder builder, int index)
    {
        if (builder[index] != '\n')
        {
            builder[index] = ' ';
        }
    }

    [GeneratedRegex(@"^\s*(?<key>'[^']*'|[A-Za-z_][A-Za-z0-9_]*)\s*:\s*")]
    private static partial Regex EntryPattern();

    [GeneratedRegex(@"@secure\(\)\s*(?:@\w+\([^)]*\)\s*)*param\s+(?<name>\w+)\s+string")]
    private static partial Regex SecureParameterPattern();

    [GeneratedRegex(@"\s+")]
    private static partial Regex WhitespacePattern();

    [GeneratedRegex(@"[(\[{] | [)\]}]")]
    private static partial Regex BracketSpacePattern();
}
