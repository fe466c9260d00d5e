// Text transformations the shell and a few tools apply, reproduced so that constant text can be
// followed into a shell: ANSI-C escapes ($'...'), `echo -e`, `printf`, `base64 -d`, `xxd -r -p`,
// `tr`, `rev`.
// Each takes the text and returns the result; nothing is executed. Decoders return nullopt on
// input they would reject, so a corrupt payload is not mistaken for a constant.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

namespace vectimus::shell {

// Bash's $'...' escapes: \a \b \e \E \f \n \r \t \v \\ \' \" \? \nnn \xHH \uHHHH \UHHHHHHHH \cX.
// As in bash, a NUL ends the string.
std::string ansi_c_decode(std::string_view text);

// `echo -e` escapes (\0nnn octal, \c stops all output: `stopped` is set).
std::string echo_decode(std::string_view text, bool& stopped);

// `printf FORMAT ARGS...` for %s %b %d %c %% and escapes; the format is reused while arguments
// remain, as printf does. nullopt for directives it does not model.
std::optional<std::string> printf_format(std::string_view format,
                                         const std::vector<std::string>& args);

std::optional<std::string> base64_decode(std::string_view text);  // whitespace ignored
std::optional<std::string> hex_decode(std::string_view text);     // `xxd -r -p`: whitespace ignored

// `tr SET1 SET2`: ranges (`a-z`), escapes (`\n`, `\\`, `\NNN`), SET2 padded with its last
// character (rot13 is `tr 'A-Za-z' 'N-ZA-Mn-za-m'`). nullopt for classes and repeats (`[:alpha:]`,
// `[x*]`) it does not model.
std::optional<std::string> tr_translate(std::string_view text, std::string_view set1,
                                        std::string_view set2);
// `rev`: each line reversed.
std::string rev_lines(std::string_view text);

}  // namespace vectimus::shell
