using System.Text;
using System.Text.Json.Nodes;
using Hatbox.Features.Flows.Engine;

namespace Hatbox.Features.Flows.Steps;

/// <summary>RFC 4180 CSV: the first row names the columns; each later row becomes an object of strings.</summary>
internal static class CsvRows
{
    public static JsonArray Parse(string text)
    {
        var records = Records(text);
        var rows = new JsonArray();
        if (records.Count == 0)
        {
            return rows;
        }
        var header = records[0];
        foreach (var record in records.Skip(1))
        {
            if (record is [""])
            {
                continue;
            }
            var row = new JsonObject();
            for (var i = 0; i < header.Count; i++)
            {
                row[header[i]] = i < record.Count ? record[i] : null;
            }
            rows.Add(row);
        }
        return rows;
    }

    static List<List<string>> Records(string text)
    {
        var records = new List<List<string>>();
        var record = new List<string>();
        var field = new StringBuilder();
        var quoted = false;
        for (var i = 0; i < text.Length; i++)
        {
            var c = text[i];
            if (quoted)
            {
                if (c == '"' && i + 1 < text.Length && text[i + 1] == '"')
                {
                    field.Append('"');
                    i++;
                }
                else if (c == '"')
                {
                    quoted = false;
                }
                else
                {
                    field.Append(c);
                }
                continue;
            }
            switch (c)
            {
                case '"' when field.Length == 0:
                    quoted = true;
                    break;
                case ',':
                    record.Add(field.ToString());
                    field.Clear();
                    break;
                case '\r':
                    break;
                case '\n':
                    record.Add(field.ToString());
                    field.Clear();
                    records.Add(record);
                    record = [];
                    break;
                default:
                    field.Append(c);
                    break;
            }
        }
        if (quoted)
        {
            throw new StepFailure(StepErrorCodes.FileParseError, "The CSV ends inside a quoted field.", retryable: false);
        }
        if (field.Length > 0 || record.Count > 0)
        {
            record.Add(field.ToString());
            records.Add(record);
        }
        return records;
    }
}
