namespace Hatbox.Features.Db.Postgres;

internal enum PgTokenKind
{
    Blank,
    Word,
    /// <summary>The SDK's <c>{name}</c>, outside literals and comments.</summary>
    Placeholder,
    /// <summary><c>$1</c>, <c>$2</c>…</summary>
    Positional,
    Semicolon,
    Open,
    Close,
    Other,
}

internal readonly record struct PgToken(PgTokenKind Kind, int Start, int Length);

/// <summary>
/// PostgreSQL's lexical rules, as far as the checks need them: <c>'…'</c> with <c>''</c>,
/// <c>E'…'</c> with backslash escapes, <c>"…"</c> names, <c>$tag$…$tag$</c> bodies, <c>--</c> and
/// nested <c>/* */</c> comments. Anything unterminated runs to the end, as the server would read it
/// (and then refuse it), so no text after it can pass for a second statement.
/// </summary>
internal ref struct PostgresLexer(ReadOnlySpan<char> sql)
{
    readonly ReadOnlySpan<char> _sql = sql;
    int _at;

    public bool Next(out PgToken token)
    {
        token = default;
        if (_at >= _sql.Length)
        {
            return false;
        }
        var start = _at;
        var c = _sql[_at];
        PgTokenKind kind;
        if (char.IsWhiteSpace(c))
        {
            while (_at < _sql.Length && char.IsWhiteSpace(_sql[_at])) _at++;
            kind = PgTokenKind.Blank;
        }
        else if (c == '-' && Peek(1) == '-')
        {
            while (_at < _sql.Length && _sql[_at] != '\n') _at++;
            kind = PgTokenKind.Blank;
        }
        else if (c == '/' && Peek(1) == '*')
        {
            SkipBlockComment();
            kind = PgTokenKind.Blank;
        }
        else if (c == '\'')
        {
            SkipQuoted('\'', backslashEscapes: false);
            kind = PgTokenKind.Other;
        }
        else if ((c is 'e' or 'E') && Peek(1) == '\'')
        {
            _at++;
            SkipQuoted('\'', backslashEscapes: true);
            kind = PgTokenKind.Other;
        }
        else if (c == '"')
        {
            SkipQuoted('"', backslashEscapes: false);
            kind = PgTokenKind.Word;
        }
        else if (c == '$' && char.IsAsciiDigit(Peek(1)))
        {
            _at++;
            while (_at < _sql.Length && char.IsAsciiDigit(_sql[_at])) _at++;
            kind = PgTokenKind.Positional;
        }
        else if (c == '$' && TryDollarTag(out var tagLength))
        {
            SkipDollarBody(tagLength);
            kind = PgTokenKind.Other;
        }
        else if (c == '{' && TryPlaceholder())
        {
            kind = PgTokenKind.Placeholder;
        }
        else if (char.IsLetter(c) || c == '_')
        {
            while (_at < _sql.Length && (char.IsLetterOrDigit(_sql[_at]) || _sql[_at] is '_' or '$')) _at++;
            kind = PgTokenKind.Word;
        }
        else
        {
            _at++;
            kind = c switch
            {
                ';' => PgTokenKind.Semicolon,
                '(' => PgTokenKind.Open,
                ')' => PgTokenKind.Close,
                _ => PgTokenKind.Other,
            };
        }
        token = new PgToken(kind, start, _at - start);
        return true;
    }

    char Peek(int ahead) => _at + ahead < _sql.Length ? _sql[_at + ahead] : '\0';

    void SkipBlockComment()
    {
        var depth = 0;
        while (_at < _sql.Length)
        {
            if (_sql[_at] == '/' && Peek(1) == '*')
            {
                depth++;
                _at += 2;
            }
            else if (_sql[_at] == '*' && Peek(1) == '/')
            {
                _at += 2;
                if (--depth == 0) return;
            }
            else
            {
                _at++;
            }
        }
    }

    void SkipQuoted(char quote, bool backslashEscapes)
    {
        _at++;
        while (_at < _sql.Length)
        {
            var c = _sql[_at++];
            if (backslashEscapes && c == '\\')
            {
                _at++;
            }
            else if (c == quote)
            {
                if (Peek(0) != quote) return;
                _at++;
            }
        }
    }

    /// <summary><c>$$</c> or <c>$tag$</c> where tag is an identifier without <c>$</c>.</summary>
    readonly bool TryDollarTag(out int length)
    {
        var end = _at + 1;
        while (end < _sql.Length && (char.IsLetterOrDigit(_sql[end]) || _sql[end] == '_')) end++;
        length = end - _at + 1;
        return end < _sql.Length && _sql[end] == '$' && !char.IsAsciiDigit(_sql[_at + 1]);
    }

    void SkipDollarBody(int tagLength)
    {
        var tag = _sql.Slice(_at, tagLength);
        _at += tagLength;
        var close = _sql[_at..].IndexOf(tag);
        _at = close < 0 ? _sql.Length : _at + close + tagLength;
    }

    bool TryPlaceholder()
    {
        var end = _at + 1;
        if (end >= _sql.Length || !(char.IsAsciiLetter(_sql[end]) || _sql[end] == '_')) return false;
        while (end < _sql.Length && (char.IsAsciiLetterOrDigit(_sql[end]) || _sql[end] == '_')) end++;
        if (end >= _sql.Length || _sql[end] != '}') return false;
        _at = end + 1;
        return true;
    }
}
