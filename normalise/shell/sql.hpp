// SQL a database client runs, in one canonical form for policies.
//
// `psql -c 'DROP  TABLE x'`, `mysql -e $'drop\ttable x'`, `sqlite3 app.db "DrOp/**/TABLE x"` and
// `echo … | base64 -d | psql` all run the same statement; rules should not have to list every
// letter case, spacing and comment a keyword can be written with. The analyser asks here for the
// SQL text of a client's command line (the option or operand that carries it, found through a
// table of clients) and of its standard input when that is constant (a heredoc, a here-string,
// text piped or decoded into it), and stores it normalised: comments removed, ASCII letters
// lowered, runs of whitespace made one space. Text inside quotes is kept (lowered too), so a
// `--` inside a string literal is not a comment.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::shell {

// The SQL `program` (a basename) runs from its own arguments, joined by newlines when given more
// than once, followed by `stdin_text` when given; nullopt when `program` is not a SQL client or
// it runs no SQL known here.
std::optional<std::string> sql_text(std::string_view program, const std::vector<std::string>& argv,
                                    const std::string* stdin_text);

// Comments (`-- …` to the end of the line, `/* … */`, `#` for MySQL clients is not removed)
// dropped, ASCII letters lowered, whitespace runs made one space, trimmed.
std::string normalise_sql(std::string_view text);

}  // namespace vectimus::shell
