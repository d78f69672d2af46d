namespace Hatbox.Features.Db.Sqlite;

/// <summary>
/// SQLite's tokens, as far as the guard needs them: it tells string literals, quoted names and
/// comments apart from the rest, so a <c>{name}</c>, <c>;</c> or <c>WHERE</c> inside them counts
/// for nothing. Follows SQLite's own tokenizer (tokenize.c); anything it does not recognise is left
/// for SQLite to reject.
/// </summary>
internal ref struct SqliteLexer(ReadOnlySpan<char> sql)
{
    readonly ReadOnlySpan<char> _sql = sql;
    int _position;

    public readonly int Position => _position;

    public bool Next(out SqlToken token)
    {
        var start = _position;
        if (start >= _sql.Length)
        {
            token = default;
            return false;
        }
        var c = _sql[start];
        var kind = c switch
        {
            ' ' or '\t' or '\n' or '\f' or '\r' => Skip(static ch => ch is ' ' or '\t' or '\n' or '\f' or '\r', SqlTokenKind.Space),
            '-' when Peek(1) == '-' => LineComment(),
            '/' when Peek(1) == '*' => BlockComment(),
            '\'' => Quoted('\'', '\'', SqlTokenKind.String),
            '"' => Quoted('"', '"', SqlTokenKind.QuotedName),
            '`' => Quoted('`', '`', SqlTokenKind.QuotedName),
            '[' => Quoted('[', ']', SqlTokenKind.QuotedName),
            '{' => Placeholder(),
            '$' or ':' or '@' or '?' => Parameter(),
            ';' => Single(SqlTokenKind.Semicolon),
            '(' => Single(SqlTokenKind.Open),
            ')' => Single(SqlTokenKind.Close),
            _ when IsWordChar(c) => Skip(IsWordChar, SqlTokenKind.Word),
            _ => Single(SqlTokenKind.Other),
        };
        token = new SqlToken(kind, start, _position - start);
        return true;
    }

    /// <summary>SQLite's identifier characters: ASCII letters, digits, <c>_</c>, <c>$</c> and everything past ASCII.</summary>
    public static bool IsWordChar(char c) => char.IsAsciiLetterOrDigit(c) || c is '_' or '$' || c > 0x7f;

    readonly char Peek(int offset) => _position + offset < _sql.Length ? _sql[_position + offset] : '\0';

    SqlTokenKind Single(SqlTokenKind kind)
    {
        _position++;
        return kind;
    }

    SqlTokenKind Skip(Func<char, bool> accept, SqlTokenKind kind)
    {
        _position++;
        while (_position < _sql.Length && accept(_sql[_position]))
        {
            _position++;
        }
        return kind;
    }

    SqlTokenKind LineComment()
    {
        var end = _sql[_position..].IndexOf('\n');
        _position = end < 0 ? _sql.Length : _position + end + 1;
        return SqlTokenKind.Comment;
    }

    SqlTokenKind BlockComment()
    {
        // An unclosed comment runs to the end, as in SQLite.
        var end = _sql[(_position + 2)..].IndexOf("*/", StringComparison.Ordinal);
        _position = end < 0 ? _sql.Length : _position + 2 + end + 2;
        return SqlTokenKind.Comment;
    }

    /// <summary>A literal or name up to its closing quote; a doubled quote is an escaped one.</summary>
    SqlTokenKind Quoted(char open, char close, SqlTokenKind kind)
    {
        _position++;
        while (_position < _sql.Length)
        {
            if (_sql[_position++] != close)
            {
                continue;
            }
            if (open == close && _position < _sql.Length && _sql[_position] == close)
            {
                _position++;
                continue;
            }
            return kind;
        }
        return kind;
    }

    /// <summary><c>{name}</c> with a plain identifier inside; any other <c>{</c> is left for SQLite to refuse.</summary>
    SqlTokenKind Placeholder()
    {
        var length = 1;
        if (_position + 1 < _sql.Length && (char.IsAsciiLetter(_sql[_position + 1]) || _sql[_position + 1] == '_'))
        {
            while (_position + length < _sql.Length && (char.IsAsciiLetterOrDigit(_sql[_position + length]) || _sql[_position + length] == '_'))
            {
                length++;
            }
            if (_position + length < _sql.Length && _sql[_position + length] == '}')
            {
                _position += length + 1;
                return SqlTokenKind.Placeholder;
            }
        }
        return Single(SqlTokenKind.Other);
    }

    SqlTokenKind Parameter()
    {
        _position++;
        while (_position < _sql.Length && IsWordChar(_sql[_position]))
        {
            _position++;
        }
        return SqlTokenKind.Parameter;
    }
}

internal enum SqlTokenKind
{
    Space,
    Comment,
    Word,
    String,
    QuotedName,
    /// <summary><c>{name}</c>: the SDK's named parameter.</summary>
    Placeholder,
    /// <summary>SQLite's own <c>$1</c>, <c>:name</c>, <c>@name</c>, <c>?</c>.</summary>
    Parameter,
    Semicolon,
    Open,
    Close,
    Other,
}

internal readonly record struct SqlToken(SqlTokenKind Kind, int Start, int Length)
{
    public bool IsBlank => Kind is SqlTokenKind.Space or SqlTokenKind.Comment;
}
